import type { BrowserWindowConstructorOptions } from 'electron';
import type { WindowBounds } from './window-bounds.js';

/**
 * The main window (DESIGN.md, security rule 2): context isolation, the Chromium sandbox, no Node
 * in the page, web security on, middle-click (`Auxclick`) navigation off, and the one preload.
 */
export function mainWindowOptions(
  preloadPath: string,
  bounds: WindowBounds,
): BrowserWindowConstructorOptions {
  return {
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
  };
}
