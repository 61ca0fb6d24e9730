import { useEffect, useState } from 'react';

/** Seconds left from `seconds`, ticking down to 0 once a second. */
export function useCountdown(seconds: number): number {
  const [startedAt] = useState(() => Date.now());
  const [now, setNow] = useState(startedAt);
  const left = Math.max(0, seconds - Math.floor((now - startedAt) / 1000));
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setNow(Date.now()), 1000);
    return () => clearTimeout(timer);
  }, [left, now]);
  return left;
}
