import assert from 'node:assert/strict';
import {
  CardDataError,
  OFFICE_INVITATION_VERBS,
  renderCalendarReminderCard,
  renderContactCard,
  renderEventChangeCard,
  renderImageCard,
  renderOfficeInvitationCard,
  validateCard,
  type CalendarReminderData,
  type ContactCardData,
  type EventChangeData,
  type OfficeInvitationData,
} from '../src/index.js';
import { allText, findAll, ofType, type JsonObject } from './helpers.js';

const actions = (card: { actions?: unknown[] }) => (card.actions ?? []) as JsonObject[];

describe('templates: calendar reminder', function () {
  const event: CalendarReminderData = {
    title: 'Design review',
    start: '2024-03-29T08:00:00Z',
    end: '2024-03-29T09:00:00Z',
    timeZone: 'Europe/Paris',
    joinUrl: 'https://teams.microsoft.com/l/meetup-join/abc',
    calendarUrl: 'https://teams.microsoft.com/l/entity/app/calendar?context=x',
    minutesBefore: 60,
  };

  it('writes the time in the event’s own zone and lets Teams show it in the reader’s', function () {
    const card = renderCalendarReminderCard(event);
    const text = allText(card);
    // 08:00 UTC is 09:00 in Paris before the end-of-March DST switch.
    assert.match(text, /Friday, March 29, 2024, 9:00\s*–\s*10:00\sAM GMT\+1 \(Europe\/Paris\)/);
    assert.match(text, /\{\{DATE\(2024-03-29T08:00:00Z, SHORT\)\}\}/);
    assert.match(text, /Starts in 1 hour/);
    const summer = allText(renderCalendarReminderCard({ ...event, start: '2024-04-02T08:00:00Z', end: '2024-04-02T09:00:00Z' }));
    assert.match(summer, /10:00\s*–\s*11:00\sAM GMT\+2/);
    const newYork = allText(renderCalendarReminderCard({ ...event, timeZone: 'America/New_York' }));
    assert.match(newYork, /4:00\s*–\s*5:00\sAM EDT \(America\/New_York\)/);
  });

  it('offers join and open-in-calendar links', function () {
    const card = renderCalendarReminderCard(event);
    assert.deepEqual(actions(card).map((a) => [a.type, a.url]), [
      ['Action.OpenUrl', event.joinUrl],
      ['Action.OpenUrl', event.calendarUrl],
    ]);
    assert.deepEqual(actions(renderCalendarReminderCard({ ...event, joinUrl: undefined })).map((a) => a.url), [event.calendarUrl]);
  });

  it('shows an all-day event as dates only, its end being exclusive', function () {
    const oneDay = renderCalendarReminderCard({ ...event, allDay: true, start: '2024-03-29T00:00:00+01:00', end: '2024-03-30T00:00:00+01:00' });
    assert.match(allText(oneDay), /Friday, March 29, 2024 · All day/);
    assert.doesNotMatch(allText(oneDay), /\{\{TIME/);
    const twoDays = renderCalendarReminderCard({ ...event, allDay: true, start: '2024-03-29T00:00:00+01:00', end: '2024-03-31T00:00:00+01:00' });
    assert.match(allText(twoDays), /Friday, March 29\s*–\s*Saturday, March 30, 2024 · All day/);
  });

  it('speaks French', function () {
    const text = allText(renderCalendarReminderCard({ ...event, locale: 'fr', minutesBefore: 1440 }));
    assert.match(text, /vendredi 29 mars 2024/);
    assert.match(text, /Rappel · Commence demain/);
  });

  it('refuses times without an offset, end before start and unknown zones', function () {
    assert.throws(() => renderCalendarReminderCard({ ...event, start: '2024-03-29T08:00:00' }), /start: must be an ISO 8601 date-time with Z or an offset/);
    assert.throws(() => renderCalendarReminderCard({ ...event, end: '2024-03-29T07:00:00Z' }), /end: is before start/);
    assert.throws(() => renderCalendarReminderCard({ ...event, timeZone: 'Mars/Olympus_Mons' }), /timeZone: is not a known time zone/);
    assert.throws(() => renderCalendarReminderCard({ ...event, minutesBefore: '15' as never }), /minutesBefore/);
    assert.match(allText(renderCalendarReminderCard({ ...event, minutesBefore: undefined })), /^⏰ Reminder\n/);
  });
});

describe('templates: event change', function () {
  const base: EventChangeData = {
    change: 'updated',
    title: 'Design review',
    start: '2024-03-29T08:00:00Z',
    end: '2024-03-29T09:00:00Z',
    timeZone: 'UTC',
    changedBy: 'Adele Vance',
    joinUrl: 'https://teams.microsoft.com/l/meetup-join/abc',
    changes: [
      { label: 'Location', before: 'Room A', after: 'Room B' },
      { label: 'Agenda', after: 'Slides attached' },
      { label: 'Notes', before: 'Bring laptops' },
    ],
  };

  it('says what changed, from what to what, and who changed it', function () {
    const card = renderEventChangeCard(base);
    const text = allText(card);
    assert.match(text, /Event updated/);
    assert.match(text, /Location: Room A → Room B/);
    assert.match(text, /Agenda: Slides attached/);
    assert.match(text, /Notes: Bring laptops/);
    assert.match(text, /Updated by Adele Vance/);
    const struck = findAll(card, (node) => node.type === 'TextRun' && node.strikethrough === true).map((node) => node.text);
    assert.deepEqual(struck, ['Room A', 'Bring laptops']);
  });

  it('marks an added event and a cancelled one differently; a cancelled one has nothing to join', function () {
    const added = renderEventChangeCard({ ...base, change: 'added', changes: [] });
    assert.equal((added.body as JsonObject[])[0]!.color, 'Good');
    assert.match(allText(added), /Added by Adele Vance/);
    assert.equal(actions(added)[0]?.url, base.joinUrl);

    const deleted = renderEventChangeCard({ ...base, change: 'deleted', changes: [] });
    assert.equal((deleted.body as JsonObject[])[0]!.color, 'Attention');
    assert.match(allText(deleted), /Event cancelled/);
    assert.deepEqual(actions(deleted), []);
    const [title] = findAll(deleted, (node) => node.type === 'TextRun' && node.text === 'Design review');
    assert.equal(title?.strikethrough, true);
    assert.deepEqual(validateCard(deleted).errors, []);
  });

  it('refuses an unknown change and a change with neither side', function () {
    assert.throws(() => renderEventChangeCard({ ...base, change: 'moved' as never }), /change: must be one of added, updated, deleted/);
    assert.throws(() => renderEventChangeCard({ ...base, changes: [{ label: 'Title' }] }), /changes\[0\]: needs a before or an after/);
  });
});

describe('templates: contact card', function () {
  const contact: ContactCardData = {
    name: 'Lidia Holloway',
    jobTitle: 'Product Manager',
    company: 'Contoso',
    emails: ['lidia@contoso.com'],
    phones: [{ number: '+44 (0)20 7946 0958', label: 'Work' }, { number: '06 12 34 56 78' }],
    chatWith: 'lidia.h+teams@contoso.com',
  };

  it('offers chat, call and e-mail actions with proper URIs', function () {
    const card = renderContactCard(contact);
    assert.deepEqual(actions(card).map((a) => [a.title, a.url]), [
      ['Chat', 'https://teams.microsoft.com/l/chat/0/0?users=lidia.h%2Bteams%40contoso.com'],
      ['Call', 'tel:+442079460958'],
      ['E-mail', 'mailto:lidia@contoso.com'],
    ]);
    const links = findAll(card, (node) => node.type === 'TextRun' && node.selectAction !== undefined);
    assert.deepEqual(links.map((node) => (node.selectAction as JsonObject).url), ['mailto:lidia@contoso.com', 'tel:+442079460958', 'tel:0612345678']);
  });

  it('chats with the first address when no Teams account is given, and drops actions it cannot fill', function () {
    const card = renderContactCard({ name: 'Ann', emails: ['ann@example.com'] });
    assert.deepEqual(actions(card).map((a) => a.title), ['Chat', 'E-mail']);
    assert.equal(findAll(card, ofType('Image')).length, 0);
    assert.deepEqual(actions(renderContactCard({ name: 'Ann' })), []);
  });

  it('refuses addresses and numbers that could break out of their URI', function () {
    assert.throws(() => renderContactCard({ ...contact, emails: ['a@b.com?cc=evil@x.com'] }), /emails\[0\]: is not an e-mail address/);
    assert.throws(() => renderContactCard({ ...contact, emails: ['lidia@contoso.com>'] }), CardDataError);
    assert.throws(() => renderContactCard({ ...contact, phones: [{ number: '+33 6;ext=javascript' }] }), /phones\[0\]\.number: is not a phone number/);
    assert.throws(() => renderContactCard({ ...contact, photoUrl: 'javascript:alert(1)' }), /photoUrl: must use https or http/);
  });
});

describe('templates: image card', function () {
  it('shows the image with its alt text, tags and a SharePoint link', function () {
    const card = renderImageCard({
      imageUrl: 'https://contoso.sharepoint.com/a.png',
      altText: 'A red square',
      title: 'Square',
      tags: ['#brand', 'draft', '  '],
      sharePointUrl: 'https://contoso.sharepoint.com/a.png?web=1',
    });
    const [image] = findAll(card, ofType('Image'));
    assert.deepEqual([image?.url, image?.altText], ['https://contoso.sharepoint.com/a.png', 'A red square']);
    assert.match(allText(card), /#brand {2}#draft$/m);
    assert.deepEqual(actions(card).map((a) => [a.title, a.url]), [['Open in SharePoint', 'https://contoso.sharepoint.com/a.png?web=1']]);
  });

  it('requires alt text', function () {
    assert.throws(() => renderImageCard({ imageUrl: 'https://x.example/a.png', altText: ' ', title: 'A' }), /altText: is required/);
  });
});

describe('templates: office invitation', function () {
  const invitation: OfficeInvitationData = {
    kind: 'invite',
    invitationId: 'inv-7',
    from: { name: 'Alex Wilber' },
    office: { id: 'off-1', name: 'Product office' },
    room: { id: 'room-3', name: 'Focus room' },
  };

  it('asks to join or decline with Action.Execute carrying the invitation', function () {
    const card = renderOfficeInvitationCard(invitation);
    assert.match(allText(card), /Alex Wilber invites you to Focus room/);
    const buttons = actions(card);
    assert.deepEqual(buttons.map((a) => [a.type, a.title, a.verb]), [
      ['Action.Execute', 'Join', OFFICE_INVITATION_VERBS.accept],
      ['Action.Execute', 'Decline', OFFICE_INVITATION_VERBS.decline],
    ]);
    for (const button of buttons) {
      assert.deepEqual(button.data, { invitationId: 'inv-7', kind: 'invite', officeId: 'off-1', roomId: 'room-3' });
    }
  });

  it('words a knock from the other side', function () {
    const card = renderOfficeInvitationCard({ ...invitation, kind: 'knock', locale: 'fr' });
    assert.match(allText(card), /Alex Wilber frappe à la porte de Focus room/);
    assert.deepEqual(actions(card).map((a) => a.title), ['Faire entrer', 'Refuser']);
  });

  it('replaces the buttons with the outcome once answered', function () {
    const accepted = renderOfficeInvitationCard({ ...invitation, status: 'accepted', officeUrl: 'https://teams.microsoft.com/l/entity/x/office' });
    assert.match(allText(accepted), /You joined/);
    assert.deepEqual(actions(accepted).map((a) => a.type), ['Action.OpenUrl']);
    const expired = renderOfficeInvitationCard({ ...invitation, status: 'expired' });
    assert.match(allText(expired), /expired/);
    assert.deepEqual(actions(expired), []);
    assert.throws(() => renderOfficeInvitationCard({ ...invitation, status: 'maybe' as never }), /status: must be one of/);
  });
});
