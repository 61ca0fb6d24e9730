import { BrandMark } from '../components/BrandMark';
import { Spinner } from '../components/Spinner';
import { useT } from '../i18n/use-t';

export function StartingScreen() {
  const { t } = useT();
  return (
    <main className="splash" id="main" data-testid="starting">
      <BrandMark size={48} />
      <Spinner label={t('starting.label')} />
    </main>
  );
}
