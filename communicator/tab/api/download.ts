import type { ApiClient } from '@teamspro/core/tab';

export type DownloadedFile = { blob: Blob; fileName?: string };

function absolute(input: RequestInfo | URL): string {
  if (typeof input === 'string') return new URL(input, window.location.href).href;
  if (input instanceof URL) return input.href;
  return input.url;
}

/** `attachment; filename="report.xlsx"; filename*=UTF-8''…` → the file name. */
export function fileNameFrom(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try { return decodeURIComponent(star[1].trim()); } catch { /* fall through to the plain name */ }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1]?.trim();
}

/**
 * GETs a binary file (e.g. an .xlsx export) through the shell's API client, so it carries the bearer
 * token, signs in again once on 401 and fails with the same readable ApiError as every other call.
 * The client decodes bodies as JSON or text, which would corrupt binary data: while this one request
 * is in flight, its response is cloned as it passes through `fetch` and read as a Blob.
 * (Other requests made meanwhile, e.g. polling, pass through untouched.)
 */
export async function downloadBlob(api: ApiClient, path: string): Promise<DownloadedFile> {
  const target = new URL(path, window.location.href).href;
  const original = window.fetch;
  let copy: Response | undefined;
  const capturing: typeof window.fetch = async (input, init) => {
    const res = await original.call(window, input, init);
    if (res.ok && absolute(input) === target) copy = res.clone();
    return res;
  };
  window.fetch = capturing;
  try {
    await api.get<unknown>(path, { headers: { accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/octet-stream, */*' } });
  } finally {
    if (window.fetch === capturing) window.fetch = original;
  }
  if (!copy) throw new Error(`No file came back from ${path}`);
  return { blob: await copy.blob(), fileName: fileNameFrom(copy.headers.get('content-disposition')) };
}

/** Hands a Blob to the browser as a download. */
export function saveFile({ blob, fileName }: DownloadedFile, fallbackName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName ?? fallbackName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
