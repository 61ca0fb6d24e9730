import { useEffect } from 'react';
import { useT } from '../i18n/use-t';

/** The window title follows the page: "GitHub — Linkboard", or "Linkboard" alone. */
export function useDocumentTitle(page: string | null): void {
  const { t } = useT();
  useEffect(() => {
    document.title = page ? t('app.windowTitle', { page }) : t('app.name');
  }, [page, t]);
}
