import { CardDataError, list, pickLocale, record, text, webUrl } from './data.js';
import { expandTemplate, type AdaptiveCardJson } from './expand.js';
import { LABELS } from './labels.js';

export const MAX_IMAGE_TAGS = 20;

export interface ImageCardData {
  imageUrl: string;
  /** Describes the image for screen readers; required. */
  altText: string;
  title: string;
  description?: string;
  tags?: string[];
  /** The file in its SharePoint document library. */
  sharePointUrl?: string;
  locale?: string;
}

export function renderImageCard(data: ImageCardData): AdaptiveCardJson {
  const input = record(data, 'data', true)!;
  const locale = pickLocale(input.locale);
  const description = text(input.description, 'description', { multiline: true, maxLength: 2000 });
  const tags = list(input.tags, 'tags', MAX_IMAGE_TAGS)
    .map((tag, i) => text(tag, `tags[${i}]`, { maxLength: 50 }))
    .filter((tag) => tag !== '');
  const sharePointUrl = webUrl(input.sharePointUrl, 'sharePointUrl');
  const altText = text(input.altText, 'altText', { maxLength: 1000 });
  if (altText === '') throw new CardDataError('altText', 'is required: describe the image for people who cannot see it');

  return expandTemplate('image-card', {
    lang: locale,
    imageUrl: webUrl(input.imageUrl, 'imageUrl', true),
    altText,
    title: text(input.title, 'title', { required: true, maxLength: 300 }),
    description,
    tagLine: tags.map((tag) => `#${tag.replace(/^#/, '')}`).join('  '),
    sharePointUrl,
    show: { description: description !== '', tags: tags.length > 0, sharePoint: sharePointUrl !== '' },
    labels: LABELS[locale].image,
  });
}
