// JSON walking helpers shared by the template tests.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function walk(value: unknown, visit: (node: JsonObject, path: string) => void, path = '$'): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, visit, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    visit(value as JsonObject, path);
    for (const [key, item] of Object.entries(value)) walk(item, visit, `${path}.${key}`);
  }
}

export function findAll(card: unknown, predicate: (node: JsonObject) => boolean): JsonObject[] {
  const found: JsonObject[] = [];
  walk(card, (node) => {
    if (predicate(node)) found.push(node);
  });
  return found;
}

export const ofType = (type: string) => (node: JsonObject) => node.type === type;

/** Every string value in the card, with the path it sits at. */
export function strings(value: unknown, path = '$'): { path: string; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => strings(item, `${path}.${key}`));
  }
  return [];
}

/** The card with every string replaced by a marker, except element and action types. */
export function skeleton(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return key === 'type' ? value : '<string>';
  if (Array.isArray(value)) return value.map((item) => skeleton(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, item]) => [k, skeleton(item, k)]));
  }
  return value;
}

/** The text a reader sees in a RichTextBlock (its TextRuns joined). */
export function richText(node: JsonObject): string {
  const inlines = node.inlines as JsonObject[];
  return inlines.map((inline) => inline.text).join('');
}

export function allText(card: unknown): string {
  return [
    ...findAll(card, ofType('TextBlock')).map((node) => String(node.text)),
    ...findAll(card, ofType('RichTextBlock')).map(richText),
  ].join('\n');
}
