import type { BrowserWindow as BrowserWindowType } from 'electron';
import type { WindowBounds } from './window-bounds.js';

/**
 * Opens the main window (docs/architecture.md#security-rules, rule 2): context isolation, the Chromium sandbox, no
 * Node in the page, web security on, middle-click (`Auxclick`) navigation off, no webviews, and the
 * one preload. The options are written out in the constructor call so reviewers and Electronegativity
 * read them where the window is made.
 */
export function createMainWindow(
  BrowserWindow: typeof BrowserWindowType,
  preloadPath: string,
  bounds: WindowBounds,
): BrowserWindowType {
  return new BrowserWindow({
    ...bounds,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Linkboard',
    backgroundColor: '#1f2328',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
}
