import { pickLanguage } from '@teamspro/core';
import { renderBroadcastCard, validateCard, type AdaptiveCardJson, type RecordedFeedback } from '@teamspro/templates';
import type { CardPreview, FeedbackOptions, MessageVariant } from '../api/contract.js';
import type { ClickSigner } from './click-token.js';
import { pickVariant } from './variants.js';

export type CardMessage = { id: string; layout: 'standard' | 'hero' | 'compact'; author: string; variants: MessageVariant[]; feedback: FeedbackOptions };

export type CardRecipient = {
  key: string;
  locale?: string;
  /** ids Teams refreshes the card for on view (the refresh marks it read): the recipient; for a channel post, up to 60 members of the team */
  refreshUserIds: string[];
};

export type CardLinks = { publicUrl: string; signer: ClickSigner; tenantId: string };

/** The card one recipient gets: their language, their tracked links, their answer if any. */
export function cardFor(message: CardMessage, recipient: CardRecipient, links: CardLinks, answer?: RecordedFeedback): { card: AdaptiveCardJson; locale: string } {
  const { variant, index } = pickVariant(message.variants, recipient.locale);
  const linkUrl = (button: number) =>
    `${links.publicUrl.replace(/\/$/, '')}/r/${links.signer.sign({ tenantId: links.tenantId, messageId: message.id, recipientKey: recipient.key, variant: index, button })}`;
  if (answer || recipient.refreshUserIds.length === 0) return { card: renderVariant(message, variant, linkUrl, recipient.refreshUserIds, answer), locale: variant.locale };
  return { card: fromSendTemplate(message, variant, index, linkUrl, recipient.refreshUserIds), locale: variant.locale };
}

/** The same card rendered from scratch, without the per-send template (what the template must equal). */
export function cardRenderedAfresh(message: CardMessage, recipient: CardRecipient, links: CardLinks): AdaptiveCardJson {
  const { variant, index } = pickVariant(message.variants, recipient.locale);
  return renderVariant(message, variant, (button) =>
    `${links.publicUrl.replace(/\/$/, '')}/r/${links.signer.sign({ tenantId: links.tenantId, messageId: message.id, recipientKey: recipient.key, variant: index, button })}`, recipient.refreshUserIds);
}

/*
 * Expanding the Adaptive Card template costs milliseconds of CPU per card, and a broadcast sends the same
 * card to everyone but for the tracked links and the refresh list. So a send renders each variant once with
 * placeholders and fills them in per recipient. Keyed by the variants array: an edited message has a new one.
 */
const linkPlaceholder = (button: number) => `https://placeholder.invalid/__cc_link_${button}__`;
const refreshPlaceholder = '__cc_refresh_user__';
const sendTemplates = new WeakMap<MessageVariant[], Map<string, string>>();

function fromSendTemplate(message: CardMessage, variant: MessageVariant, index: number, linkUrl: (button: number) => string, refreshUserIds: string[]): AdaptiveCardJson {
  let byVariant = sendTemplates.get(message.variants);
  if (!byVariant) {
    byVariant = new Map();
    sendTemplates.set(message.variants, byVariant);
  }
  const key = `${message.id}|${message.layout}|${message.author}|${JSON.stringify(message.feedback)}|${index}`;
  let template = byVariant.get(key);
  if (template === undefined) {
    template = JSON.stringify(renderVariant(message, variant, linkPlaceholder, [refreshPlaceholder]));
    byVariant.set(key, template);
  }
  let json = template.replace(JSON.stringify(refreshPlaceholder), refreshUserIds.map((id) => JSON.stringify(id)).join(','));
  variant.links.forEach((_l, button) => { json = json.split(linkPlaceholder(button)).join(JSON.stringify(linkUrl(button)).slice(1, -1)); });
  return JSON.parse(json) as AdaptiveCardJson;
}

function renderVariant(message: CardMessage, variant: MessageVariant, linkUrl: (button: number) => string, refreshUserIds: string[], answer?: RecordedFeedback): AdaptiveCardJson {
  return renderBroadcastCard(message.layout, {
    messageId: message.id,
    title: variant.title,
    summary: variant.summary,
    body: variant.body,
    ...(variant.imageUrl ? { image: { url: variant.imageUrl, altText: variant.imageAltText } } : {}),
    author: message.author,
    links: variant.links.map((l, i) => ({ title: l.title, url: linkUrl(i) })),
    feedback: message.feedback,
    refreshUserIds,
    ...(answer ? { answer } : {}),
    locale: variant.locale,
  });
}

// The largest ids a real send puts in the card, so the preview's size is the size that gets sent.
const sampleRecipientKey = '00000000-0000-0000-0000-000000000000';
const sampleRefreshId = '29:1' + 'x'.repeat(120);
const sampleTenant = '00000000-0000-0000-0000-000000000000';

/** Every variant rendered as a recipient would get it (tracked links included), validated and measured. */
export function previewCards(message: CardMessage, links: Omit<CardLinks, 'tenantId'>): CardPreview {
  return {
    variants: message.variants.map((variant, index) => {
      try {
        const card = renderVariant(message, variant, (button) =>
          `${links.publicUrl.replace(/\/$/, '')}/r/${links.signer.sign({ tenantId: sampleTenant, messageId: message.id, recipientKey: sampleRecipientKey, variant: index, button })}`,
        [sampleRefreshId]);
        const { errors, bytes } = validateCard(card);
        return { locale: variant.locale, card, bytes, errors };
      } catch (err) {
        return { locale: variant.locale, card: null, bytes: 0, errors: [err instanceof Error ? err.message : String(err)] };
      }
    }),
  };
}

const withdrawnText = { en: 'This message was withdrawn.', fr: 'Ce message a été retiré.' } as const;

/** What a card action on a recalled message answers with: one line, in the recipient's language. */
export function withdrawnCard(locale: string | undefined): AdaptiveCardJson {
  const lang = pickLanguage(locale);
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    lang,
    body: [{ type: 'TextBlock', text: withdrawnText[lang], wrap: true, isSubtle: true }],
  };
}
