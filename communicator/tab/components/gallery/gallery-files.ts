import type { Language } from '@teamspro/core/tab';

/** The server's limit (POST /api/gallery/images answers 413 above it); checked here too, to say so before uploading. */
export const maxImageBytes = 4 * 1024 * 1024;
/** What the file picker offers; the server decides what really is an image. */
export const imageAccept = 'image/png,image/jpeg,image/gif,image/webp,image/heic,image/heif,image/avif,image/tiff,.png,.jpg,.jpeg,.gif,.webp,.heic,.heif,.avif,.tif,.tiff';
/** The longest side the server keeps (and the widest a resize may ask for). */
export const maxSide = 2048;

/** 123456 → "121 KB" in the UI language. */
export function formatKilobytes(bytes: number, language: Language): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(Math.max(1, Math.round(bytes / 1024)));
}

/** Visually hidden but still in the accessibility tree and operable (a file input behind a visible button). */
export const visuallyHidden = { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' } as const;
