import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useT } from '../i18n/use-t';

export interface LinkMenuAnchor {
  url: string;
  x: number;
  y: number;
  /** Where focus goes back when the menu closes. */
  returnFocus: HTMLElement | null;
}

interface LinkMenuProps {
  anchor: LinkMenuAnchor;
  providerName: string;
  onOpen: (url: string) => void;
  onCopy: (url: string) => void;
  onClose: () => void;
}

/**
 * The context menu of a row or profile with a provider page: "Open in GitHub", "Copy link". It
 * opens on a right click or the keyboard's context-menu key (Shift+F10), takes the focus, moves
 * with the arrow keys, and closes on Escape, Tab, a choice or a click elsewhere.
 */
export function LinkMenu({ anchor, providerName, onOpen, onCopy, onClose }: LinkMenuProps) {
  const { t } = useT();
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const away = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [onClose]);

  const close = () => {
    onClose();
    anchor.returnFocus?.focus();
  };

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const items = [
      ...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []),
    ];
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    }
  }

  return (
    <div
      ref={menu}
      className="link-menu"
      role="menu"
      aria-label={t('web.menuLabel', { name: providerName })}
      // Placed where the user asked for it, kept inside the window.
      style={{
        left: Math.min(anchor.x, window.innerWidth - 220),
        top: Math.min(anchor.y, window.innerHeight - 96),
      }}
      onKeyDown={onKeyDown}
      data-testid="link-menu"
    >
      <button
        type="button"
        role="menuitem"
        className="link-menu__item"
        onClick={() => {
          close();
          onOpen(anchor.url);
        }}
        data-testid="link-menu-open"
      >
        {t('web.openIn', { name: providerName })}
      </button>
      <button
        type="button"
        role="menuitem"
        className="link-menu__item"
        onClick={() => {
          close();
          onCopy(anchor.url);
        }}
        data-testid="link-menu-copy"
      >
        {t('web.copyLink')}
      </button>
    </div>
  );
}
