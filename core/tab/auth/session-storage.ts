/** sessionStorage that degrades to memory where storage is blocked (some embedded web views). */
const memory = new Map<string, string>();

function storage(): Storage | undefined {
  try {
    const s = window.sessionStorage;
    const probe = '__teamspro_probe__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return undefined;
  }
}

export function readJson<T>(key: string): T | undefined {
  const raw = storage()?.getItem(key) ?? memory.get(key);
  if (raw == null) return undefined;
  try { return JSON.parse(raw) as T; } catch { return undefined; }
}

export function writeJson(key: string, value: unknown): void {
  const raw = JSON.stringify(value);
  const s = storage();
  if (s) s.setItem(key, raw); else memory.set(key, raw);
}

export function remove(key: string): void {
  storage()?.removeItem(key);
  memory.delete(key);
}
