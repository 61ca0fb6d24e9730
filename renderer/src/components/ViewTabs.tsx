import { useRef, type KeyboardEvent } from 'react';
import type { View } from '@linkboard/contract/provider-catalogue';
import { useCatalogueText } from '../i18n/use-t';

interface ViewTabsProps {
  views: readonly View[];
  selected: string;
  onSelect: (id: string) => void;
  label: string;
}

/** WAI-ARIA tabs: one tab stop, arrow keys / Home / End move between views. */
export function ViewTabs({ views, selected, onSelect, label }: ViewTabsProps) {
  const tabs = useRef(new Map<string, HTMLButtonElement>());
  const catalogueText = useCatalogueText();

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = views.findIndex((view) => view.id === selected);
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: views.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const view = views[(target + views.length) % views.length];
    if (!view) return;
    onSelect(view.id);
    tabs.current.get(view.id)?.focus();
  }

  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {views.map((view) => {
        const isSelected = view.id === selected;
        return (
          <button
            key={view.id}
            type="button"
            role="tab"
            id={`tab-${view.id}`}
            aria-selected={isSelected}
            aria-controls={`tabpanel-${view.id}`}
            tabIndex={isSelected ? 0 : -1}
            className="tabs__tab"
            onClick={() => onSelect(view.id)}
            ref={(element) => {
              if (element) tabs.current.set(view.id, element);
              else tabs.current.delete(view.id);
            }}
            data-testid={`tab-${view.id}`}
          >
            {catalogueText(view.title)}
          </button>
        );
      })}
    </div>
  );
}
