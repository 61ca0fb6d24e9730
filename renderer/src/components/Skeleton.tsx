/** Grey placeholder lines while something loads; announced once as "Loading …". */
export function Skeleton({
  label,
  lines = 3,
  variant = 'lines',
}: {
  label: string;
  lines?: number;
  variant?: 'lines' | 'table' | 'cards';
}) {
  return (
    <div
      className={`skeleton skeleton--${variant}`}
      role="status"
      aria-live="polite"
      data-testid="loading"
    >
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: lines }, (_, index) => (
        <span key={index} className="skeleton__line" aria-hidden="true" />
      ))}
    </div>
  );
}
