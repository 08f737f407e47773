import { Template } from 'adaptivecards-templating';
import broadcastStandard from '../cards/broadcast-standard.json' with { type: 'json' };
import broadcastHero from '../cards/broadcast-hero.json' with { type: 'json' };
import broadcastCompact from '../cards/broadcast-compact.json' with { type: 'json' };
import feedbackConfirmation from '../cards/feedback-confirmation.json' with { type: 'json' };
import calendarReminder from '../cards/calendar-reminder.json' with { type: 'json' };
import eventChange from '../cards/event-change.json' with { type: 'json' };
import contactCard from '../cards/contact-card.json' with { type: 'json' };
import imageCard from '../cards/image-card.json' with { type: 'json' };
import officeInvitation from '../cards/office-invitation.json' with { type: 'json' };

/** An expanded Adaptive Card, ready to attach as `application/vnd.microsoft.card.adaptive`. */
export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  version: string;
  body?: unknown[];
  actions?: unknown[];
  [property: string]: unknown;
}

export const cardTemplates = {
  'broadcast-standard': broadcastStandard,
  'broadcast-hero': broadcastHero,
  'broadcast-compact': broadcastCompact,
  'feedback-confirmation': feedbackConfirmation,
  'calendar-reminder': calendarReminder,
  'event-change': eventChange,
  'contact-card': contactCard,
  'image-card': imageCard,
  'office-invitation': officeInvitation,
} as const;

export type CardTemplateName = keyof typeof cardTemplates;

export const cardTemplateNames = Object.keys(cardTemplates) as CardTemplateName[];

/** A copy of a template as stored in `templates/cards/<name>.json`, with its `${...}` bindings. */
export function loadTemplate(name: CardTemplateName): Record<string, unknown> {
  const template = cardTemplates[name];
  if (!template) throw new RangeError(`Unknown card template: ${String(name)}`);
  return structuredClone(template) as Record<string, unknown>;
}

/**
 * Expands a template with `view` as `$root`. The view must define every field the template binds:
 * the templating engine leaves an unresolved `${...}` in place rather than failing.
 */
export function expandTemplate(name: CardTemplateName, view: object): AdaptiveCardJson {
  const expanded: unknown = new Template(loadTemplate(name)).expand({ $root: view });
  const card = dropNulls(expanded);
  if (!isCard(card)) throw new Error(`Template ${name} did not expand to an AdaptiveCard`);
  return card;
}

// `$when` on an object-valued property (e.g. `refresh`) leaves `"refresh": null` behind.
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(dropNulls);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== null && item !== undefined) out[key] = dropNulls(item);
    }
    return out;
  }
  return value;
}

function isCard(value: unknown): value is AdaptiveCardJson {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'AdaptiveCard';
}
