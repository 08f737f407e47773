import { z } from 'zod';
import { badRequest } from '@teamspro/core';
import { MAX_BROADCAST_LINKS } from '@teamspro/templates';

export const limits = {
  title: 200, summary: 1000, body: 30_000, author: 200, linkTitle: 100, url: 2048, altText: 500, variants: 20,
  audienceEntries: 50, idsPerEntry: 100, topicName: 100, topicDescription: 500, authors: 500,
} as const;

function isWebUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

const storedVariantLimit = 31_000;

const webUrl = z.string().trim().max(limits.url).refine(isWebUrl, 'must be an absolute http or https URL');
const id = z.string().trim().min(1).max(200);

/** Markdown links in the body may only point at web pages or e-mail addresses. */
function unsafeMarkdownLink(body: string): string | undefined {
  for (const m of body.matchAll(/\]\(\s*<?([^)\s>]*)/g)) {
    const target = m[1] ?? '';
    if (!/^(https?:\/\/|mailto:)/i.test(target)) return target;
  }
  return undefined;
}

const variant = z.object({
  locale: z.string().trim().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en-US or fr-FR'),
  title: z.string().trim().min(1, 'is required').max(limits.title),
  summary: z.string().trim().max(limits.summary).optional(),
  body: z.string().max(limits.body).default('').refine((b) => unsafeMarkdownLink(b) === undefined, {
    message: 'has a markdown link that is not http, https or mailto',
  }),
  imageUrl: webUrl.optional().or(z.literal('').transform(() => undefined)),
  imageAltText: z.string().trim().max(limits.altText).optional(),
  links: z.array(z.object({ title: z.string().trim().min(1, 'is required').max(limits.linkTitle), url: webUrl }))
    .max(MAX_BROADCAST_LINKS, `at most ${MAX_BROADCAST_LINKS} link buttons`).default([]),
});

const audience = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('allUsers') }),
  z.object({ kind: z.literal('channels'), channels: z.array(z.object({ teamId: id, channelId: id })).min(1).max(limits.idsPerEntry) }),
  z.object({ kind: z.literal('teamMembers'), teamIds: z.array(id).min(1).max(limits.idsPerEntry) }),
  z.object({ kind: z.literal('groups'), groupIds: z.array(id).min(1).max(limits.idsPerEntry) }),
  z.object({ kind: z.literal('list'), listIds: z.array(id).min(1).max(limits.idsPerEntry) }),
]);

/** The language variants of a message (drafts, and the edit of a sent message). */
const variantsSchema = z.array(variant).min(1, 'needs at least one language variant').max(limits.variants).superRefine((variants, ctx) => {
  variants.forEach((v, i) => {
    // each variant is one table column, and Azure Tables holds at most 32K characters in one
    if (JSON.stringify(v).length > storedVariantLimit) ctx.addIssue({ code: 'custom', path: [i, 'body'], message: 'makes this language variant too large to store; shorten it' });
  });
  const seen = new Map<string, number>();
  variants.forEach((v, i) => {
    const key = v.locale.toLowerCase();
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'locale'], message: `duplicates the locale of variant ${seen.get(key)! + 1}` });
    else seen.set(key, i);
  });
});

export const messageInputSchema = z.object({
  topicId: id,
  author: z.string().trim().max(limits.author).default(''),
  layout: z.enum(['standard', 'hero', 'compact']).default('standard'),
  variants: variantsSchema,
  feedback: z.object({
    reactions: z.boolean().default(false), acknowledge: z.boolean().default(false), rating: z.boolean().default(false), comment: z.boolean().default(false),
  }).default({ reactions: false, acknowledge: false, rating: false, comment: false }),
  audience: z.array(audience).max(limits.audienceEntries).default([]),
});

/** POST /messages/:id/update: new variants for the delivered cards, validated as a draft's are. */
export const sentUpdateSchema = z.object({ variants: variantsSchema, etag: z.string().min(1, 'is required: send the etag you read') });

export const topicInputSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(limits.topicName),
  description: z.string().trim().max(limits.topicDescription).default(''),
});

export const settingsSchema = z.object({
  authors: z.array(z.string().trim().min(3).max(256).regex(/^([^\s@]+@[^\s@]+|[0-9a-fA-F-]{32,40})$/, 'must be a UPN or an object id')).max(limits.authors),
  retentionDays: z.number().int().min(0).max(3650),
  /** left as it is when not sent (a client that does not know the setting neither turns it on nor off) */
  proactiveInstall: z.boolean().optional(),
  etag: z.string().optional(),
});

export const sendRequestSchema = z.object({ sendAt: z.string().trim().max(40).optional(), timeZone: z.string().trim().max(64).optional() });
export const resendSchema = z.object({ to: z.enum(['failed', 'unread']) });
export const offboardSchema = z.object({ confirmTenantId: z.string().trim().min(1, 'is required: type the tenant id to confirm') });
export const etagSchema = z.object({ etag: z.string().min(1, 'is required: send the etag you read') });

/** Parses or throws 400 naming every field at fault. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  throw badRequest(`${what} is not valid: ${problems.map((p) => `${p.field} ${p.message}`).slice(0, 5).join('; ')}.`, problems);
}
