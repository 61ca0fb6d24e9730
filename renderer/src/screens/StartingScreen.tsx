import { BrandMark } from '../components/BrandMark';
import { Spinner } from '../components/Spinner';

export function StartingScreen() {
  return (
    <main className="splash" id="main" data-testid="starting">
      <BrandMark size={48} />
      <Spinner label="Opening Linkboard…" />
    </main>
  );
}
