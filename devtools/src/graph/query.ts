import { badRequest, GraphError } from './errors.js';

type Item = Record<string, unknown>;
type Predicate = (item: Item) => boolean;

const unsupportedFilter = (clause: string) =>
  new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified: '${clause}'. The Graph sandbox supports startswith(property,'value') and property eq 'value', joined by and/or.`);

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).toLowerCase();
}

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/''/g, "'");
}

// a property, or a path through a navigation property (`teamsApp/externalId`)
const clausePattern = /^\s*(?:startswith\(\s*(\w+(?:\/\w+)*)\s*,\s*('(?:[^']|'')*')\s*\)|(\w+(?:\/\w+)*)\s+eq\s+('(?:[^']|'')*'|true|false|null))\s*$/i;

/** The value at a property path; undefined when a step is missing. */
function valueAt(item: Item, path: string): unknown {
  let value: unknown = item;
  for (const step of path.split('/')) value = value !== null && typeof value === 'object' ? (value as Item)[step] : undefined;
  return value;
}

function clause(source: string): Predicate {
  const m = clausePattern.exec(source);
  if (!m) throw unsupportedFilter(source);
  if (m[1]) {
    const [property, prefix] = [m[1], text(unquote(m[2]!))];
    return (item) => text(valueAt(item, property)).startsWith(prefix);
  }
  const [property, literal] = [m[3]!, m[4]!];
  if (/^(true|false|null)$/i.test(literal)) {
    const expected = literal.toLowerCase() === 'null' ? null : literal.toLowerCase() === 'true';
    return (item) => (valueAt(item, property) ?? null) === expected;
  }
  const expected = text(unquote(literal));
  return (item) => text(valueAt(item, property)) === expected;
}

/** Splits on a keyword outside quoted literals. */
function splitOutsideQuotes(source: string, keyword: RegExp): string[] {
  const parts: string[] = [];
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === "'") inQuote = !inQuote;
    if (inQuote) continue;
    const m = keyword.exec(source.slice(i));
    if (m && m.index === 0) {
      parts.push(source.slice(start, i));
      i += m[0].length - 1;
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

/** `$filter`: startswith(...) and `eq` clauses joined by `and` (binding tighter) and `or`. Case-insensitive like Entra. */
export function parseFilter(filter: string): Predicate {
  const anyOf = splitOutsideQuotes(filter, /^\s+or\s+/i).map((group) => {
    const allOf = splitOutsideQuotes(group, /^\s+and\s+/i).map(clause);
    return (item: Item) => allOf.every((p) => p(item));
  });
  return (item) => anyOf.some((p) => p(item));
}

/** Words of a property value, as Entra's `$search` tokenizes them for prefix matching. */
function words(value: unknown): string[] {
  const s = text(value);
  return [s, ...s.split(/[\s.@_\-,;:()]+/).filter(Boolean)];
}

/** `$search="displayName:ali" OR "mail:ali"`: each term matches the start of any word of the property. */
export function parseSearch(search: string): Predicate {
  const grammar = /"[^"]*"|\bAND\b|\bOR\b/g;
  const tokens = search.match(grammar);
  if (!tokens || search.replace(grammar, '').trim() !== '') {
    throw badRequest(`Invalid $search: '${search}'. Use "property:term" clauses joined by AND or OR.`, 'Request_UnsupportedQuery');
  }
  const groups: Predicate[][] = [[]];
  for (const token of tokens) {
    if (token === 'OR') groups.push([]);
    else if (token !== 'AND') {
      const m = /^"(\w+):(.*)"$/.exec(token);
      if (!m) throw badRequest(`Invalid $search clause ${token}: expected "property:term".`, 'Request_UnsupportedQuery');
      const [property, term] = [m[1]!, m[2]!.toLowerCase().trim()];
      groups.at(-1)!.push((item) => words(item[property]).some((w) => w.startsWith(term)));
    }
  }
  return (item) => groups.some((all) => all.length > 0 && all.every((p) => p(item)));
}

export function parseSelect(select: string | null): string[] | undefined {
  if (!select) return undefined;
  return select.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Keeps the selected properties (and `@odata.type`, as Graph does for directory objects). */
export function project<T extends Item>(item: T, select: string[] | undefined): Item {
  if (!select) return item;
  const out: Item = {};
  if ('@odata.type' in item) out['@odata.type'] = item['@odata.type'];
  for (const key of select) if (key in item) out[key] = item[key];
  return out;
}

export function orderBy<T extends Item>(items: T[], orderby: string | null): T[] {
  if (!orderby) return items;
  const m = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(orderby);
  if (!m) throw badRequest(`Unsupported $orderby '${orderby}': the Graph sandbox orders by one property.`, 'Request_UnsupportedQuery');
  const [property, direction] = [m[1]!, (m[2] ?? 'asc').toLowerCase()];
  const sign = direction === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => sign * text(a[property]).localeCompare(text(b[property])));
}
