import { recordedFeedback, type RecordedFeedback } from './broadcast.js';
import { CardDataError, pickLocale, record, text } from './data.js';
import { expandTemplate, type AdaptiveCardJson } from './expand.js';
import { LABELS } from './labels.js';

export interface FeedbackConfirmationData {
  /** Title of the message the feedback is about. */
  messageTitle: string;
  answer: RecordedFeedback;
  locale?: string;
}

export function renderFeedbackConfirmationCard(data: FeedbackConfirmationData): AdaptiveCardJson {
  const input = record(data, 'data', true)!;
  const locale = pickLocale(input.locale);
  const answer = recordedFeedback(record(input.answer, 'answer', true), 'answer', locale);
  const show = {
    reaction: answer.reaction !== '',
    acknowledged: answer.acknowledged,
    rating: answer.rating !== '',
    comment: answer.comment !== '',
    time: answer.recordedAt !== '',
  };
  if (!show.reaction && !show.acknowledged && !show.rating && !show.comment) {
    throw new CardDataError('answer', 'records no feedback');
  }
  return expandTemplate('feedback-confirmation', {
    lang: locale,
    messageTitle: text(input.messageTitle, 'messageTitle', { required: true, maxLength: 500 }),
    answer,
    show,
    labels: { ...LABELS[locale].broadcast, ...LABELS[locale].confirmation },
  });
}
