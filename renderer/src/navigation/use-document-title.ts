import { useEffect } from 'react';

/** The window title follows the page: "GitHub — Linkboard", or "Linkboard" alone. */
export function useDocumentTitle(page: string | null): void {
  useEffect(() => {
    document.title = page ? `${page} — Linkboard` : 'Linkboard';
  }, [page]);
}
