import { email, list, pickLocale, record, telUri, text, webUrl } from './data.js';
import { expandTemplate, type AdaptiveCardJson } from './expand.js';
import { LABELS } from './labels.js';

export const MAX_CONTACT_EMAILS = 10;
export const MAX_CONTACT_PHONES = 10;

export interface ContactPhone {
  number: string;
  /** e.g. "Mobile", "Work". */
  label?: string;
}

export interface ContactCardData {
  name: string;
  photoUrl?: string;
  jobTitle?: string;
  company?: string;
  department?: string;
  emails?: string[];
  phones?: ContactPhone[];
  /** UPN of the Teams user to chat with; defaults to the first e-mail address. */
  chatWith?: string;
  locale?: string;
}

export function renderContactCard(data: ContactCardData): AdaptiveCardJson {
  const input = record(data, 'data', true)!;
  const locale = pickLocale(input.locale);
  const name = text(input.name, 'name', { required: true, maxLength: 200 });
  const photoUrl = webUrl(input.photoUrl, 'photoUrl');
  const jobTitle = text(input.jobTitle, 'jobTitle', { maxLength: 200 });
  const organization = [text(input.department, 'department', { maxLength: 200 }), text(input.company, 'company', { maxLength: 200 })]
    .filter((part) => part !== '')
    .join(' · ');

  const emails = list(input.emails, 'emails', MAX_CONTACT_EMAILS).map((value, i) => {
    const address = email(value, `emails[${i}]`, true);
    return { address, url: `mailto:${address}` };
  });
  const phones = list(input.phones, 'phones', MAX_CONTACT_PHONES).map((item, i) => {
    const phone = record(item, `phones[${i}]`, true)!;
    const number = text(phone.number, `phones[${i}].number`, { required: true, maxLength: 40 });
    return { number, label: text(phone.label, `phones[${i}].label`, { maxLength: 40 }), url: telUri(number, `phones[${i}].number`) };
  });

  const chatWith = email(input.chatWith, 'chatWith') || emails[0]?.address || '';
  const chatUrl = chatWith ? `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(chatWith)}` : '';
  const callUrl = phones[0]?.url ?? '';
  const emailUrl = emails[0]?.url ?? '';

  return expandTemplate('contact-card', {
    lang: locale,
    name,
    photoUrl,
    jobTitle,
    organization,
    emails,
    phones,
    chatUrl,
    callUrl,
    emailUrl,
    show: {
      photo: photoUrl !== '',
      jobTitle: jobTitle !== '',
      organization: organization !== '',
      emails: emails.length > 0,
      phones: phones.length > 0,
      chat: chatUrl !== '',
      call: callUrl !== '',
      email: emailUrl !== '',
    },
    labels: LABELS[locale].contact,
  });
}
