import type { MouseEvent } from 'react';
import type { LinkMenuAnchor } from './LinkMenu';

/** What a table or record needs to offer its provider pages: the URL of an item, and the actions. */
export interface PageLinks {
  /** The item's page at the provider, or undefined when it has none. */
  pageOf(item: unknown): string | undefined;
  open(url: string): void;
  showMenu(anchor: LinkMenuAnchor): void;
  /** "Open in GitHub". */
  openLabel: string;
}

/** The context menu's place: at the pointer, or under the element for the keyboard's menu key. */
export function menuAnchorOf(event: MouseEvent<HTMLElement>, url: string): LinkMenuAnchor {
  const element = event.currentTarget;
  if (event.clientX === 0 && event.clientY === 0) {
    const box = element.getBoundingClientRect();
    return { url, x: box.left, y: box.bottom, returnFocus: element };
  }
  return { url, x: event.clientX, y: event.clientY, returnFocus: element };
}
