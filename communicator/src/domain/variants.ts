import type { MessageVariant } from '../api/contract.js';

/** The variant for a recipient's locale: exact match, then same language, then the first (the default). */
export function pickVariant(variants: readonly MessageVariant[], locale: string | undefined): { variant: MessageVariant; index: number } {
  const wanted = locale?.toLowerCase();
  if (wanted) {
    const exact = variants.findIndex((v) => v.locale.toLowerCase() === wanted);
    if (exact >= 0) return { variant: variants[exact]!, index: exact };
    const language = wanted.split('-')[0];
    const sameLanguage = variants.findIndex((v) => v.locale.toLowerCase().split('-')[0] === language);
    if (sameLanguage >= 0) return { variant: variants[sameLanguage]!, index: sameLanguage };
  }
  return { variant: variants[0]!, index: 0 };
}
