import { useEffect, useRef } from 'react';

/**
 * Calls `tick` every `intervalMs` while `active` (and the page is visible), waiting for each call to
 * finish before scheduling the next, so a slow server never gets overlapping polls.
 */
export function usePolling(tick: (signal: AbortSignal) => Promise<unknown>, intervalMs: number, active: boolean): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return undefined;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => { timer = setTimeout(run, intervalMs); };
    const run = () => {
      if (abort.signal.aborted) return;
      if (document.visibilityState === 'hidden') { schedule(); return; }
      latest.current(abort.signal).catch(() => undefined).finally(() => { if (!abort.signal.aborted) schedule(); });
    };
    schedule();
    return () => { abort.abort(); if (timer) clearTimeout(timer); };
  }, [intervalMs, active]);
}
