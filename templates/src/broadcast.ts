import {
  CardDataError,
  bool,
  cardTimestamp,
  list,
  optionalDateTime,
  optionalOneOf,
  pickLocale,
  record,
  text,
  webUrl,
  type Locale,
} from './data.js';
import { expandTemplate, type AdaptiveCardJson } from './expand.js';
import { LABELS, REACTIONS, type Reaction } from './labels.js';
import { TEAMS_MAX_REFRESH_USER_IDS } from './validate.js';

export { REACTIONS, type Reaction };

export const BROADCAST_LAYOUTS = ['standard', 'hero', 'compact'] as const;
export type BroadcastLayout = (typeof BROADCAST_LAYOUTS)[number];

/** `Action.Execute` verbs the broadcast card sends to the bot. */
export const BROADCAST_VERBS = { feedback: 'feedback', read: 'read' } as const;

export const MAX_BROADCAST_LINKS = 6;
export const MAX_COMMENT_LENGTH = 1000;

export interface BroadcastLink {
  title: string;
  /** Where the button goes; pass the click-tracking redirect URL, it is used as given. */
  url: string;
}

export interface BroadcastFeedbackOptions {
  reactions?: boolean;
  acknowledge?: boolean;
  rating?: boolean;
  comment?: boolean;
}

/** What one recipient has already answered; the card shows it and hides the controls already used. */
export interface RecordedFeedback {
  reaction?: Reaction;
  acknowledged?: boolean;
  /** 1 to 5. */
  rating?: number;
  comment?: string;
  /** ISO 8601; shown in the viewer's own time zone. */
  recordedAt?: string;
}

export interface BroadcastCardData {
  messageId: string;
  title: string;
  summary?: string;
  /** Adaptive Card markdown. */
  body?: string;
  image?: { url: string; altText?: string };
  author?: string;
  links?: BroadcastLink[];
  feedback?: BroadcastFeedbackOptions;
  /** Users (MRIs or AAD object ids) whose Teams client refreshes the card on view, which marks it read. */
  refreshUserIds?: string[];
  answer?: RecordedFeedback;
  locale?: string;
}

/** `data` of the `feedback` Action.Execute, merged by Teams with the card's inputs. */
export type FeedbackSubmission =
  | { messageId: string; kind: 'reaction'; reaction: Reaction }
  | { messageId: string; kind: 'acknowledge' }
  | { messageId: string; kind: 'response'; rating?: number; comment?: string };

export function renderBroadcastCard(layout: BroadcastLayout, data: BroadcastCardData): AdaptiveCardJson {
  if (!(BROADCAST_LAYOUTS as readonly string[]).includes(layout)) {
    throw new CardDataError('layout', `must be one of ${BROADCAST_LAYOUTS.join(', ')}`);
  }
  return expandTemplate(`broadcast-${layout}`, broadcastView(data));
}

function broadcastView(input: BroadcastCardData) {
  const data = record(input, 'data', true)!;
  const locale = pickLocale(data.locale);
  const labels = LABELS[locale].broadcast;

  const title = text(data.title, 'title', { required: true, maxLength: 500 });
  const summary = text(data.summary, 'summary', { multiline: true });
  const body = text(data.body, 'body', { multiline: true });
  const author = text(data.author, 'author', { maxLength: 200 });

  const imageData = record(data.image, 'image');
  const imageUrl = imageData ? webUrl(imageData.url, 'image.url', true) : '';
  const image = { url: imageUrl, altText: imageData ? text(imageData.altText, 'image.altText') || title : '' };

  const links = list(data.links, 'links', MAX_BROADCAST_LINKS).map((item, i) => {
    const link = record(item, `links[${i}]`, true)!;
    return { title: text(link.title, `links[${i}].title`, { required: true, maxLength: 100 }), url: webUrl(link.url, `links[${i}].url`, true) };
  });

  const userIds = list(data.refreshUserIds, 'refreshUserIds', TEAMS_MAX_REFRESH_USER_IDS).map((id, i) =>
    text(id, `refreshUserIds[${i}]`, { required: true }),
  );

  const options = record(data.feedback, 'feedback') ?? {};
  const wants = {
    reactions: bool(options.reactions, 'feedback.reactions'),
    acknowledge: bool(options.acknowledge, 'feedback.acknowledge'),
    rating: bool(options.rating, 'feedback.rating'),
    comment: bool(options.comment, 'feedback.comment'),
  };

  const answer = recordedFeedback(data.answer, 'answer', locale);
  const answered = {
    reaction: answer.reaction !== '',
    acknowledged: answer.acknowledged,
    response: answer.rating !== '' || answer.comment !== '',
  };
  const show = {
    image: imageUrl !== '',
    summary: summary !== '',
    body: body !== '',
    author: author !== '',
    refresh: userIds.length > 0,
    reactions: wants.reactions && !answered.reaction,
    acknowledge: wants.acknowledge && !answered.acknowledged,
    response: (wants.rating || wants.comment) && !answered.response,
    rating: wants.rating,
    comment: wants.comment,
    feedback: false,
    answer: answered.reaction || answered.acknowledged || answered.response,
    answerReaction: answered.reaction,
    answerAcknowledged: answered.acknowledged,
    answerRating: answer.rating !== '',
    answerComment: answer.comment !== '',
    answerTime: answer.recordedAt !== '',
  };
  show.feedback = show.reactions || show.acknowledge || show.response;

  return {
    lang: locale,
    messageId: text(data.messageId, 'messageId', { required: true, maxLength: 128 }),
    title,
    summary,
    body,
    authorLine: author ? `${labels.from} ${author}` : '',
    image,
    links,
    refresh: { userIds },
    answer,
    show,
    labels,
    ratingChoices: labels.ratingWords.map((word, i) => ({ title: `${stars(i + 1)}  ${i + 1} – ${word}`, value: String(i + 1) })),
  };
}

/** Display strings for recorded feedback; shared with the confirmation card. */
export function recordedFeedback(value: unknown, field: string, locale: Locale) {
  const labels = LABELS[locale].broadcast;
  const answer = record(value, field) ?? {};
  const reaction = optionalOneOf(answer.reaction, `${field}.reaction`, REACTIONS);
  const rating = optionalRating(answer.rating, `${field}.rating`);
  const recordedAt = optionalDateTime(answer.recordedAt, `${field}.recordedAt`);
  return {
    reaction: reaction ? labels[reaction] : '',
    acknowledged: bool(answer.acknowledged, `${field}.acknowledged`),
    rating: rating ? `${stars(rating)}  ${rating}/5 – ${labels.ratingWords[rating - 1]}` : '',
    comment: text(answer.comment, `${field}.comment`, { multiline: true, maxLength: MAX_COMMENT_LENGTH }),
    recordedAt: recordedAt ? cardTimestamp(recordedAt) : '',
  };
}

/**
 * Checks the `data` Teams sends back for the `feedback` verb (the action's data plus the `rating` and
 * `comment` inputs, which arrive as strings). Throws CardDataError on anything the card could not have sent.
 */
export function parseFeedbackSubmission(value: unknown): FeedbackSubmission {
  const data = record(value, 'data', true)!;
  const messageId = text(data.messageId, 'messageId', { required: true, maxLength: 128 });
  const kind = optionalOneOf(data.kind, 'kind', ['reaction', 'acknowledge', 'response'] as const);
  switch (kind) {
    case 'reaction':
      return { messageId, kind, reaction: optionalOneOf(data.reaction, 'reaction', REACTIONS) || fail('reaction', 'is required') };
    case 'acknowledge':
      return { messageId, kind };
    case 'response': {
      const rating = optionalRating(data.rating, 'rating');
      const comment = text(data.comment, 'comment', { multiline: true, maxLength: MAX_COMMENT_LENGTH });
      if (rating === undefined && comment === '') throw new CardDataError('response', 'needs a rating or a comment');
      return { messageId, kind, ...(rating !== undefined && { rating }), ...(comment !== '' && { comment }) };
    }
    default:
      return fail('kind', 'is required');
  }
}

function optionalRating(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 5) throw new CardDataError(field, 'must be a whole number from 1 to 5');
  return n;
}

function stars(n: number): string {
  return '★'.repeat(n) + '☆'.repeat(5 - n);
}

function fail(field: string, message: string): never {
  throw new CardDataError(field, message);
}
