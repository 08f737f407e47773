import { CardDataError, list, oneOf, pickLocale, record, text, webUrl } from './data.js';
import { eventTime, type EventTimeData } from './event-time.js';
import { expandTemplate, type AdaptiveCardJson } from './expand.js';
import { LABELS } from './labels.js';

export const EVENT_CHANGE_KINDS = ['added', 'updated', 'deleted'] as const;
export type EventChangeKind = (typeof EVENT_CHANGE_KINDS)[number];

export const MAX_EVENT_FIELD_CHANGES = 20;

/** One changed field, already written for people (the caller formats dates and localises the label). */
export interface EventFieldChange {
  label: string;
  /** Omit when the field was added. */
  before?: string;
  /** Omit when the field was removed. */
  after?: string;
}

export interface EventChangeData extends EventTimeData {
  change: EventChangeKind;
  title: string;
  location?: string;
  /** Display name of whoever made the change. */
  changedBy: string;
  changes?: EventFieldChange[];
  calendarName?: string;
  calendarUrl?: string;
  joinUrl?: string;
  locale?: string;
}

const HEADING_COLOR: Record<EventChangeKind, string> = { added: 'Good', updated: 'Accent', deleted: 'Attention' };

export function renderEventChangeCard(data: EventChangeData): AdaptiveCardJson {
  const input = record(data, 'data', true)!;
  const locale = pickLocale(input.locale);
  const labels = LABELS[locale].calendar;
  const change = oneOf(input.change, 'change', EVENT_CHANGE_KINDS);
  const time = eventTime(input, locale, labels.allDay);
  const location = text(input.location, 'location', { maxLength: 500 });
  const changedBy = text(input.changedBy, 'changedBy', { required: true, maxLength: 200 });
  const calendarName = text(input.calendarName, 'calendarName', { maxLength: 200 });
  // A cancelled event has no meeting left to join.
  const joinUrl = change === 'deleted' ? '' : webUrl(input.joinUrl, 'joinUrl');
  const calendarUrl = webUrl(input.calendarUrl, 'calendarUrl');

  const changes = list(input.changes, 'changes', MAX_EVENT_FIELD_CHANGES).map((item, i) => {
    const field = `changes[${i}]`;
    const entry = record(item, field, true)!;
    const before = text(entry.before, `${field}.before`, { maxLength: 500 });
    const after = text(entry.after, `${field}.after`, { maxLength: 500 });
    if (before === '' && after === '') throw new CardDataError(field, 'needs a before or an after value');
    return { label: text(entry.label, `${field}.label`, { required: true, maxLength: 100 }), before, after };
  });

  const by = { added: labels.addedBy, updated: labels.updatedBy, deleted: labels.deletedBy }[change];
  return expandTemplate('event-change', {
    lang: locale,
    heading: labels[change],
    headingColor: HEADING_COLOR[change],
    title: text(input.title, 'title', { required: true, maxLength: 500 }),
    when: time.text,
    location,
    changes,
    changedByLine: calendarName ? `${by} ${changedBy} · ${calendarName}` : `${by} ${changedBy}`,
    joinUrl,
    calendarUrl,
    show: {
      strikeTitle: change === 'deleted',
      location: location !== '',
      changes: changes.length > 0,
      join: joinUrl !== '',
      calendar: calendarUrl !== '',
    },
    labels,
  });
}
