export function MemoryOnlyWarning() {
  return (
    <div className="banner banner--warning" role="note" data-testid="memory-only-warning">
      <strong>Sign-in won't be remembered.</strong> Linkboard found no keychain on this computer, so
      it keeps your sign-in in memory only: you will sign in again next time you open the app.
    </div>
  );
}
