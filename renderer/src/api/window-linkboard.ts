import type { LinkboardApi } from '@linkboard/contract/ipc';

declare global {
  interface Window {
    /** Exposed by the preload; absent when the page is opened outside the app. */
    linkboard?: LinkboardApi;
  }
}

/** The bridge the preload exposed, or `undefined` when this page runs outside Linkboard. */
export function findWindowLinkboard(): LinkboardApi | undefined {
  return window.linkboard;
}
