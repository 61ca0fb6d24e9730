import type { Session, WebContents } from 'electron';

/**
 * What a page may not do, whatever it is (docs/architecture.md#security-rules, rule 2): navigate away, open windows,
 * attach webviews, or get any permission (camera, notifications, geolocation…). Sign-in pages open
 * in the system browser through `auth:open`, never here.
 */
export function guardWebContents(contents: WebContents, log?: (event: string) => void): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    log?.('navigation denied');
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    log?.('redirect denied');
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log?.('webview denied');
  });
  contents.setWindowOpenHandler(() => {
    log?.('window.open denied');
    return { action: 'deny' };
  });
}

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
