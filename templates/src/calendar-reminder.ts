import { CardDataError, cardTimestamp, pickLocale, record, text, webUrl } from './data.js';
import { eventTime, type EventTimeData } from './event-time.js';
import { expandTemplate, type AdaptiveCardJson } from './expand.js';
import { LABELS } from './labels.js';

export interface CalendarReminderData extends EventTimeData {
  title: string;
  location?: string;
  /** Online meeting link (Teams meeting join URL). */
  joinUrl?: string;
  /** Deep link that opens the event in the calendar tab. */
  calendarUrl?: string;
  calendarName?: string;
  /** The reminder offset, used for the heading ("starts in 15 minutes"). */
  minutesBefore?: number;
  locale?: string;
}

export function renderCalendarReminderCard(data: CalendarReminderData): AdaptiveCardJson {
  const input = record(data, 'data', true)!;
  const locale = pickLocale(input.locale);
  const labels = LABELS[locale].calendar;
  const time = eventTime(input, locale, labels.allDay);
  const location = text(input.location, 'location', { maxLength: 500 });
  const calendarName = text(input.calendarName, 'calendarName', { maxLength: 200 });
  const joinUrl = webUrl(input.joinUrl, 'joinUrl');
  const calendarUrl = webUrl(input.calendarUrl, 'calendarUrl');

  return expandTemplate('calendar-reminder', {
    lang: locale,
    heading: reminderHeading(input.minutesBefore, locale),
    title: text(input.title, 'title', { required: true, maxLength: 500 }),
    when: time.text,
    start: cardTimestamp(time.start),
    location,
    calendarName,
    joinUrl,
    calendarUrl,
    show: {
      localTime: !time.allDay,
      location: location !== '',
      calendarName: calendarName !== '',
      join: joinUrl !== '',
      calendar: calendarUrl !== '',
    },
    labels,
  });
}

function reminderHeading(minutesBefore: unknown, locale: 'en' | 'fr'): string {
  const labels = LABELS[locale].calendar;
  if (minutesBefore === undefined || minutesBefore === null) return labels.reminder;
  if (typeof minutesBefore !== 'number' || !Number.isFinite(minutesBefore) || minutesBefore < 0) {
    throw new CardDataError('minutesBefore', 'must be a number of minutes, 0 or more');
  }
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const minutes = Math.round(minutesBefore);
  const phrase =
    minutes === 0 ? labels.now
    : minutes % 1440 === 0 ? relative.format(minutes / 1440, 'day')
    : minutes % 60 === 0 ? relative.format(minutes / 60, 'hour')
    : relative.format(minutes, 'minute');
  return `${labels.reminder} · ${labels.starts} ${phrase}`;
}
