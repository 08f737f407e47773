import { renderBroadcastCard, type BroadcastCardData } from './broadcast.js';
import { renderCalendarReminderCard, type CalendarReminderData } from './calendar-reminder.js';
import { renderContactCard, type ContactCardData } from './contact-card.js';
import { renderEventChangeCard, type EventChangeData } from './event-change.js';
import type { AdaptiveCardJson, CardTemplateName } from './expand.js';
import { renderFeedbackConfirmationCard, type FeedbackConfirmationData } from './feedback-confirmation.js';
import { renderImageCard, type ImageCardData } from './image-card.js';
import { renderOfficeInvitationCard, type OfficeInvitationData } from './office-invitation.js';
import broadcastStandardSample from '../cards/broadcast-standard.sample.json' with { type: 'json' };
import broadcastHeroSample from '../cards/broadcast-hero.sample.json' with { type: 'json' };
import broadcastCompactSample from '../cards/broadcast-compact.sample.json' with { type: 'json' };
import feedbackConfirmationSample from '../cards/feedback-confirmation.sample.json' with { type: 'json' };
import calendarReminderSample from '../cards/calendar-reminder.sample.json' with { type: 'json' };
import eventChangeSample from '../cards/event-change.sample.json' with { type: 'json' };
import contactCardSample from '../cards/contact-card.sample.json' with { type: 'json' };
import imageCardSample from '../cards/image-card.sample.json' with { type: 'json' };
import officeInvitationSample from '../cards/office-invitation.sample.json' with { type: 'json' };

export * from './broadcast.js';
export * from './calendar-reminder.js';
export * from './contact-card.js';
export { CardDataError, pickLocale, type Locale } from './data.js';
export * from './event-change.js';
export type { EventTimeData } from './event-time.js';
export * from './expand.js';
export * from './feedback-confirmation.js';
export * from './image-card.js';
export { LABELS, type Labels } from './labels.js';
export * from './office-invitation.js';
export * from './validate.js';

export interface CardCatalogEntry<T = unknown> {
  name: CardTemplateName;
  description: string;
  /** The data in `cards/<name>.sample.json`. */
  sample: T;
  render(data: T): AdaptiveCardJson;
}

function entry<T>(name: CardTemplateName, description: string, sample: T, render: (data: T) => AdaptiveCardJson): CardCatalogEntry<T> {
  return { name, description, sample, render };
}

/** Every card the suite sends, with sample data; used by the tests and by preview UIs. */
export const cardCatalog: readonly CardCatalogEntry[] = [
  entry('broadcast-standard', 'Company Communicator message: title, image, summary, body, links and feedback', broadcastStandardSample as BroadcastCardData, (data) =>
    renderBroadcastCard('standard', data),
  ),
  entry('broadcast-hero', 'Company Communicator message led by a full-width image', broadcastHeroSample as BroadcastCardData, (data) =>
    renderBroadcastCard('hero', data),
  ),
  entry('broadcast-compact', 'Company Communicator message with a thumbnail; the body opens on demand', broadcastCompactSample as BroadcastCardData, (data) =>
    renderBroadcastCard('compact', data),
  ),
  entry('feedback-confirmation', 'Thank-you card showing the feedback that was recorded', feedbackConfirmationSample as FeedbackConfirmationData, renderFeedbackConfirmationCard),
  entry('calendar-reminder', 'Reminder before a calendar event, with join and calendar links', calendarReminderSample as CalendarReminderData, renderCalendarReminderCard),
  entry('event-change', 'Notification that an event was added, updated or cancelled', eventChangeSample as EventChangeData, renderEventChangeCard),
  entry('contact-card', 'A contact with chat, call and e-mail actions', contactCardSample as ContactCardData, renderContactCard),
  entry('image-card', 'An image from SharePoint with its title, description and tags', imageCardSample as ImageCardData, renderImageCard),
  entry('office-invitation', 'MetaOffice invitation to a room, or a knock at your room', officeInvitationSample as OfficeInvitationData, renderOfficeInvitationCard),
];
