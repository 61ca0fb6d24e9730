/**
 * Small main-process sources for the Electronegativity gate's tests, written to a temporary folder
 * at run time (not kept in the tree, where the repository's own scan or type-check would see them).
 */

/**
 * A window as docs/architecture.md#security-rules rule 2 wants it, with the handlers the scanner's global checks look
 * for (navigation, window.open, permissions, a CSP header). `disableAuxclick: false` leaves out
 * only `disableBlinkFeatures: 'Auxclick'`.
 */
export function hardenedWindowSource({ disableAuxclick }: { disableAuxclick: boolean }): string {
  return `import { BrowserWindow, session } from 'electron';
import path from 'node:path';

export function openWindow(): BrowserWindow {
  const window = new BrowserWindow({
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,${disableAuxclick ? "\n      disableBlinkFeatures: 'Auxclick'," : ''}
    },
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': ["default-src 'self'"] },
    }),
  );
  return window;
}
`;
}

/** The renderer gets Node and shares the preload's context. */
export const insecureWindowSource = `import { BrowserWindow } from 'electron';

export function openInsecureWindow(): BrowserWindow {
  return new BrowserWindow({
    width: 800,
    webPreferences: { nodeIntegration: true, contextIsolation: false },
  });
}
`;

/** Not JavaScript: the scanner cannot check anything in it. */
export const unparsableSource = `export const options = { nodeIntegration: ;\n`;
