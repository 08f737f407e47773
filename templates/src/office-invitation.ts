import { oneOf, pickLocale, record, text, webUrl } from './data.js';
import { expandTemplate, type AdaptiveCardJson } from './expand.js';
import { LABELS } from './labels.js';

export const OFFICE_INVITATION_KINDS = ['invite', 'knock'] as const;
export type OfficeInvitationKind = (typeof OFFICE_INVITATION_KINDS)[number];

export const OFFICE_INVITATION_STATUSES = ['pending', 'accepted', 'declined', 'expired'] as const;
export type OfficeInvitationStatus = (typeof OFFICE_INVITATION_STATUSES)[number];

/** `Action.Execute` verbs of the Join (or Let in) and Decline buttons. */
export const OFFICE_INVITATION_VERBS = { accept: 'officeInvitation.accept', decline: 'officeInvitation.decline' } as const;

/** `data` the Join / Decline buttons send with their verb. */
export interface OfficeInvitationActionData {
  invitationId: string;
  kind: OfficeInvitationKind;
  officeId: string;
  roomId: string;
}

export interface OfficeInvitationData {
  /** invite: `from` invites the recipient into the room; knock: `from` asks to enter the recipient's room. */
  kind: OfficeInvitationKind;
  invitationId: string;
  from: { name: string; photoUrl?: string };
  office: { id: string; name: string };
  room: { id: string; name: string };
  message?: string;
  /** Defaults to pending, which shows the buttons; other states replace them with the outcome. */
  status?: OfficeInvitationStatus;
  /** Deep link to the office tab. */
  officeUrl?: string;
  locale?: string;
}

const STATUS_COLOR: Record<OfficeInvitationStatus, string> = { pending: 'Default', accepted: 'Good', declined: 'Attention', expired: 'Warning' };

export function renderOfficeInvitationCard(data: OfficeInvitationData): AdaptiveCardJson {
  const input = record(data, 'data', true)!;
  const locale = pickLocale(input.locale);
  const labels = LABELS[locale].office;
  const kind = oneOf(input.kind, 'kind', OFFICE_INVITATION_KINDS);
  const status = input.status === undefined ? 'pending' : oneOf(input.status, 'status', OFFICE_INVITATION_STATUSES);
  const from = record(input.from, 'from', true)!;
  const office = record(input.office, 'office', true)!;
  const room = record(input.room, 'room', true)!;
  const photoUrl = webUrl(from.photoUrl, 'from.photoUrl');
  const message = text(input.message, 'message', { multiline: true, maxLength: 500 });
  const officeUrl = webUrl(input.officeUrl, 'officeUrl');
  const officeName = text(office.name, 'office.name', { required: true, maxLength: 200 });
  const statusText = { pending: '', accepted: labels.accepted[kind], declined: labels.declined, expired: labels.expired }[status];

  return expandTemplate('office-invitation', {
    lang: locale,
    kind,
    invitationId: text(input.invitationId, 'invitationId', { required: true, maxLength: 128 }),
    from: { name: text(from.name, 'from.name', { required: true, maxLength: 200 }), photoUrl },
    office: { id: text(office.id, 'office.id', { required: true, maxLength: 128 }), name: officeName },
    room: { id: text(room.id, 'room.id', { required: true, maxLength: 128 }), name: text(room.name, 'room.name', { required: true, maxLength: 200 }) },
    officeLine: `MetaOffice · ${officeName}`,
    message,
    statusText,
    statusColor: STATUS_COLOR[status],
    officeUrl,
    show: {
      avatar: photoUrl !== '',
      message: message !== '',
      status: status !== 'pending',
      actions: status === 'pending',
      open: officeUrl !== '' && status !== 'declined',
    },
    labels: {
      verb: labels[kind],
      accept: kind === 'invite' ? labels.join : labels.letIn,
      decline: labels.decline,
      open: labels.open,
    },
  });
}
