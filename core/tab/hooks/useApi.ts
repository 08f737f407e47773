import { useCallback, useContext, useEffect, useState } from 'react';
import type { ApiClient } from '../api/api-client.js';
import { ApiContext } from './contexts.js';

/** The signed-in API client: `const api = useApi(); await api.get<Thing[]>('/api/things')`. Inside TeamsProShell only. */
export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() must be used inside <TeamsProShell>');
  return api;
}

export type ApiData<T> = { data?: T; error?: unknown; loading: boolean; reload: () => void };

/** GETs `path` (undefined: nothing) when mounted and when `path` changes; `reload()` fetches again. */
export function useApiData<T>(path: string | undefined): ApiData<T> {
  const api = useApi();
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: path !== undefined });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  useEffect(() => {
    if (path === undefined) { setState({ loading: false }); return; }
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    api.get<T>(path, { signal: abort.signal }).then(
      (data) => { if (!abort.signal.aborted) setState({ data, loading: false }); },
      (error: unknown) => { if (!abort.signal.aborted) setState({ error, loading: false }); },
    );
    return () => abort.abort();
  }, [api, path, generation]);
  return { ...state, reload };
}

