import * as bundle from 'adaptivecards/dist/adaptivecards.js';

type AdaptiveCardsModule = typeof import('adaptivecards');
// Node puts the webpack UMD exports under `default`; Vite's dev server, seeing `__esModule`, hands them over directly.
const exported = bundle as unknown as Partial<AdaptiveCardsModule> & { default?: AdaptiveCardsModule };
const AdaptiveCards = (exported.AdaptiveCard ? exported : exported.default) as AdaptiveCardsModule;

export const CARD_VERSION = '1.5';

/**
 * Teams rejects a bot message above its size limit with 413 MessageSizeTooBig. The documented figure
 * has moved (28 KB, then 40 KB, now about 100 KB with 80 KB advised); we hold cards to the smallest,
 * which also leaves room for the activity envelope around the card.
 */
export const TEAMS_MESSAGE_SIZE_LIMIT_BYTES = 28 * 1024;

/** Teams shows at most six buttons per action set; the renderer's default host config allows five. */
export const TEAMS_MAX_ACTIONS = 6;

/** Teams refreshes a card automatically for at most 60 users listed in `refresh.userIds`. */
export const TEAMS_MAX_REFRESH_USER_IDS = 60;

export interface CardValidation {
  ok: boolean;
  errors: string[];
  /** UTF-8 size of the serialized card. */
  bytes: number;
}

export interface ValidateOptions {
  limitBytes?: number;
}

const hostConfig = new AdaptiveCards.HostConfig({ supportsInteractivity: true, actions: { maxActions: TEAMS_MAX_ACTIONS } });

export function cardSizeBytes(card: unknown): number {
  return new TextEncoder().encode(JSON.stringify(card)).length;
}

export function validateCard(card: unknown, options: ValidateOptions = {}): CardValidation {
  const limit = options.limitBytes ?? TEAMS_MESSAGE_SIZE_LIMIT_BYTES;
  const errors: string[] = [];

  let bytes: number;
  try {
    bytes = cardSizeBytes(card);
  } catch (error) {
    return { ok: false, errors: [`card cannot be serialized: ${(error as Error).message}`], bytes: 0 };
  }
  if (typeof card !== 'object' || card === null || Array.isArray(card)) {
    return { ok: false, errors: ['card must be a JSON object'], bytes };
  }
  const json = card as Record<string, unknown>;
  if (json.type !== 'AdaptiveCard') errors.push(`type must be "AdaptiveCard", got ${JSON.stringify(json.type)}`);
  if (json.version !== CARD_VERSION) errors.push(`version must be "${CARD_VERSION}", got ${JSON.stringify(json.version)}`);
  if (bytes > limit) errors.push(`card is ${bytes} bytes, over the ${limit}-byte Teams message limit`);

  const refresh = json.refresh as { userIds?: unknown } | undefined;
  if (Array.isArray(refresh?.userIds) && refresh.userIds.length > TEAMS_MAX_REFRESH_USER_IDS) {
    errors.push(`refresh.userIds lists ${refresh.userIds.length} users; Teams refreshes for at most ${TEAMS_MAX_REFRESH_USER_IDS}`);
  }

  // The renderer checks `lang` with a /g regex, whose lastIndex carries over from the previous card
  // and makes every other valid `lang` fail.
  const langPattern = AdaptiveCards.CardElement.langProperty.regEx;
  if (langPattern) langPattern.lastIndex = 0;

  const parsed = new AdaptiveCards.AdaptiveCard();
  parsed.hostConfig = hostConfig;
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
  try {
    parsed.parse(json, context);
  } catch (error) {
    errors.push(`parser failed: ${(error as Error).message}`);
    return { ok: false, errors, bytes };
  }
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    errors.push(`parse: ${AdaptiveCards.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of parsed.validateProperties().validationEvents) {
    errors.push(`validate: ${AdaptiveCards.ValidationEvent[event.event]}: ${event.message}`);
  }

  return { ok: errors.length === 0, errors, bytes };
}
