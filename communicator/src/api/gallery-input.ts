import { z } from 'zod';
import { limits } from './validation.js';

/** Names and descriptions are plain text: control characters are refused, markup is kept as typed (it is data). */
const text = (max: number) => z.string().trim().max(max).refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not hold control characters');

export const galleryLimits = { folderName: 100, imageName: 200, altText: limits.altText } as const;
/** 4 MB: the largest image file an author may upload. */
export const maxImageBytes = 4 * 1024 * 1024;

const id = z.string().trim().min(1).max(100);

export const folderInputSchema = z.object({ name: text(galleryLimits.folderName).pipe(z.string().min(1, 'is required')) });

/** The fields that come with an upload (form fields or query parameters). */
export const uploadFieldsSchema = z.object({
  name: text(galleryLimits.imageName).optional(),
  folderId: id.optional(),
  altText: text(galleryLimits.altText).default(''),
});

export const imageInputSchema = z.object({
  name: text(galleryLimits.imageName).pipe(z.string().min(1, 'must not be empty')).optional(),
  folderId: id.nullable().optional(),
  altText: text(galleryLimits.altText).optional(),
});

const pixels = z.number().int('must be a whole number of pixels');

export const imageEditSchema = z.object({
  crop: z.object({ left: pixels.min(0), top: pixels.min(0), width: pixels.min(1), height: pixels.min(1) }).optional(),
  resize: z.object({ width: pixels.min(1) }).optional(),
  asCopy: z.boolean().default(false),
}).refine((e) => e.crop || e.resize, { message: 'needs a crop, a resize or both', path: ['crop'] });
