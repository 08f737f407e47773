import { useCallback, useEffect, useRef, useState } from 'react';

export type Loaded<T> = {
  data?: T;
  error?: unknown;
  /** true until the first answer (reloads keep showing the data they replace) */
  loading: boolean;
  reload: () => Promise<void>;
  /** replace the data locally, e.g. after a save returned the new version */
  set: (data: T) => void;
};

/**
 * Runs `load` on mount and whenever `deps` change; `reload()` runs it again without blanking the screen.
 * Like useApiData, for screens whose data takes more than one GET (or a POST) to assemble.
 */
export function useLoad<T>(load: ((signal: AbortSignal) => Promise<T>) | undefined, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: load !== undefined });
  const latest = useRef(load);
  latest.current = load;
  const current = useRef<AbortController | undefined>(undefined);

  const run = useCallback(async (initial: boolean) => {
    const fn = latest.current;
    current.current?.abort();
    if (!fn) { setState({ loading: false }); return; }
    const abort = new AbortController();
    current.current = abort;
    if (initial) setState({ loading: true });
    try {
      const data = await fn(abort.signal);
      if (!abort.signal.aborted) setState({ data, loading: false });
    } catch (error) {
      if (!abort.signal.aborted) setState((s) => ({ data: initial ? undefined : s.data, error, loading: false }));
    }
  }, []);

  useEffect(() => {
    void run(true);
    return () => current.current?.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  const reload = useCallback(() => run(false), [run]);
  const set = useCallback((data: T) => setState({ data, loading: false }), []);
  return { ...state, reload, set };
}
