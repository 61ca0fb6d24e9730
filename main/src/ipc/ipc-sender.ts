/**
 * Who sent an IPC message, as the Electron layer reads it from `event.senderFrame` (or the
 * end-to-end host from its page): the frame's URL, whether it is the top frame of its page, and
 * the id of the window it belongs to (null when it belongs to none).
 */
export interface IpcSender {
  url: string;
  isMainFrame: boolean;
  windowId: number | null;
}

/**
 * `scheme://host[:port]` of a URL, for standard and custom schemes alike (Node's URL gives `null` as
 * the origin of `app://linkboard/…`). Null for URLs with credentials or without a host.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!parsed.host || parsed.username || parsed.password) return null;
  return `${parsed.protocol}//${parsed.host}`;
}
