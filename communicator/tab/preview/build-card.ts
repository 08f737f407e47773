import { CardDataError, renderBroadcastCard, TEAMS_MESSAGE_SIZE_LIMIT_BYTES, validateCard, type AdaptiveCardJson, type BroadcastCardData } from '@teamspro/templates';
import type { MessageInput, MessageVariant } from '../api/communicator-api.js';

export type PreviewProblem =
  | { key: 'titleRequired' | 'imageUrl' | 'linkIncomplete' | 'linkUrl'; link?: number }
  | { key: 'card'; detail: string };

export type BuiltPreview = {
  card?: AdaptiveCardJson;
  /** UTF-8 size of the card as sent, and Teams' limit */
  bytes: number;
  limit: number;
  /** problems in what the author typed, and what the card validator (`validateCard`) found */
  problems: PreviewProblem[];
};

export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** What the author typed, checked field by field (the same rules the card template enforces). */
export function variantProblems(variant: MessageVariant): PreviewProblem[] {
  const problems: PreviewProblem[] = [];
  if (!variant.title.trim()) problems.push({ key: 'titleRequired' });
  if (variant.imageUrl?.trim() && !isWebUrl(variant.imageUrl)) problems.push({ key: 'imageUrl' });
  variant.links.forEach((link, i) => {
    const hasTitle = link.title.trim() !== '';
    const hasUrl = link.url.trim() !== '';
    if (hasTitle !== hasUrl) problems.push({ key: 'linkIncomplete', link: i + 1 });
    else if (hasUrl && !isWebUrl(link.url)) problems.push({ key: 'linkUrl', link: i + 1 });
  });
  return problems;
}

/**
 * The card one variant becomes, expanded client-side with the template the server sends
 * (`renderBroadcastCard`) and checked with `validateCard` (parser, schema, Teams' size limit).
 * Fields still being typed (an empty title, a half-written URL) are left out so the preview keeps up.
 */
export function buildPreview(message: MessageInput, variant: MessageVariant, opts: { messageId?: string; placeholderTitle: string }): BuiltPreview {
  const problems = variantProblems(variant);
  const image = variant.imageUrl?.trim() && isWebUrl(variant.imageUrl) ? { url: variant.imageUrl.trim(), altText: variant.imageAltText?.trim() || undefined } : undefined;
  const data: BroadcastCardData = {
    messageId: opts.messageId ?? 'preview',
    title: variant.title.trim() || opts.placeholderTitle,
    summary: variant.summary?.trim() || undefined,
    body: variant.body.trim() || undefined,
    image,
    author: message.author.trim() || undefined,
    links: variant.links.filter((l) => l.title.trim() && isWebUrl(l.url)).map((l) => ({ title: l.title.trim(), url: l.url.trim() })),
    feedback: message.feedback,
    locale: variant.locale,
  };
  let card: AdaptiveCardJson;
  try {
    card = renderBroadcastCard(message.layout, data);
  } catch (error) {
    const detail = error instanceof CardDataError ? error.message : String((error as Error)?.message ?? error);
    return { bytes: 0, limit: TEAMS_MESSAGE_SIZE_LIMIT_BYTES, problems: [...problems, { key: 'card', detail }] };
  }
  const validation = validateCard(card);
  return { card, bytes: validation.bytes, limit: TEAMS_MESSAGE_SIZE_LIMIT_BYTES, problems: [...problems, ...validation.errors.map((detail) => ({ key: 'card' as const, detail }))] };
}
