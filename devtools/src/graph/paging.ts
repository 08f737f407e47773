import { badRequest, GraphError } from './errors.js';
import { orderBy, parseFilter, parseSearch, parseSelect, project } from './query.js';
import { json, type Ctx, type GraphResponse } from './types.js';

type Item = Record<string, unknown>;

export const defaultPageSize = 100;
export const maxPageSize = 999;
const supportedOptions = new Set(['$top', '$skiptoken', '$select', '$filter', '$search', '$count', '$orderby', '$expand']);

export type CollectionOptions = {
  /** what follows `$metadata#` in `@odata.context`, e.g. `users` or `directoryObjects` */
  context: string;
  /** directory objects (users, groups, members) follow Entra's advanced-query rules for $search and $count */
  directory?: boolean;
  /** navigation properties the items carry: $filter may reach into them, but they are returned only when named in $expand */
  expandable?: string[];
};

/**
 * The navigation properties `$expand` asks for, among those the resource has (`teamsApp,teamsAppDefinition`);
 * anything else is refused, as is `$expand` on a resource the sandbox expands nothing on.
 */
export function expandedOf(ctx: Ctx, expandable: string[] | undefined, context: string): Set<string> {
  const expand = ctx.req.query.get('$expand');
  if (expand === null) return new Set();
  if (!expandable) throw badRequest(`Query option '$expand' is not supported by the Graph sandbox on '${context}'.`);
  const names = expand.split(',').map((n) => n.trim()).filter(Boolean);
  for (const name of names) {
    if (!expandable.includes(name)) throw badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${name}' on '${context}'.`);
  }
  return new Set(names);
}

/** The item without the navigation properties that were not expanded. */
function withExpanded(item: Item, expandable: string[] | undefined, expanded: Set<string>): Item {
  if (!expandable) return item;
  const out: Item = { ...item };
  for (const name of expandable) if (!expanded.has(name)) delete out[name];
  return out;
}

function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url');
}

function decodeSkipToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch { /* falls through */ }
  throw badRequest(`Invalid $skiptoken '${token}'.`, 'Request_BadRequest');
}

function pageSize(top: string | null): number {
  if (top === null) return defaultPageSize;
  const n = Number(top);
  if (!Number.isInteger(n) || n < 1 || n > maxPageSize) {
    throw new GraphError(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${top}'. Must be between 1 and ${maxPageSize} inclusive.`);
  }
  return n;
}

/** The same URL with a new $skiptoken; other query options carry over so every page is filtered alike. */
function nextLink(ctx: Ctx, offset: number): string {
  const parts: string[] = [];
  for (const [key, value] of ctx.req.query) if (key !== '$skiptoken') parts.push(`${key}=${encodeURIComponent(value)}`);
  parts.push(`$skiptoken=${encodeSkipToken(offset)}`);
  return `${ctx.origin}/v1.0${ctx.req.rawPath}?${parts.join('&')}`;
}

function eventual(ctx: Ctx): boolean {
  return (ctx.req.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
}

export function metadata(ctx: Ctx, context: string): string {
  return `${ctx.origin}/v1.0/$metadata#${context}`;
}

/** A Graph collection page: $filter, $search, $orderby, $count, then $top/$skiptoken paging, then $select. */
export function collection(ctx: Ctx, all: Item[], options: CollectionOptions): GraphResponse {
  const q = ctx.req.query;
  for (const key of q.keys()) {
    if (key.startsWith('$') && !supportedOptions.has(key)) throw badRequest(`Query option '${key}' is not supported by the Graph sandbox.`);
  }
  const search = q.get('$search');
  const count = q.get('$count');
  if (search !== null) {
    if (!options.directory) throw badRequest(`Query option '$search' is not allowed on '${options.context}'.`);
    if (!eventual(ctx)) {
      throw new GraphError(400, 'Request_UnsupportedQuery', "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
    }
  }
  if (count === 'true' && options.directory && !eventual(ctx)) {
    throw new GraphError(400, 'Request_BadRequest', '$count is not currently supported.');
  }
  const expanded = expandedOf(ctx, options.expandable, options.context);

  let items = all;
  const filter = q.get('$filter');
  if (filter) items = items.filter(parseFilter(filter));
  if (search !== null) items = items.filter(parseSearch(search));
  items = orderBy(items, q.get('$orderby'));

  const size = pageSize(q.get('$top'));
  const skipToken = q.get('$skiptoken');
  const offset = skipToken === null ? 0 : decodeSkipToken(skipToken);
  const select = parseSelect(q.get('$select'));
  const page = items.slice(offset, offset + size).map((item) => project(withExpanded(item, options.expandable, expanded), select));

  const body: Item = { '@odata.context': metadata(ctx, select ? `${options.context}(${select.join(',')})` : options.context) };
  if (count === 'true') body['@odata.count'] = items.length;
  if (offset + size < items.length) body['@odata.nextLink'] = nextLink(ctx, offset + size);
  body.value = page;
  return json(200, body);
}

/** A single entity, honouring $select (and $expand over its `expandable` navigation properties). */
export function entity(ctx: Ctx, item: Item, context: string, expandable?: string[]): GraphResponse {
  const select = parseSelect(ctx.req.query.get('$select'));
  const expanded = expandable ? expandedOf(ctx, expandable, context) : new Set<string>();
  return json(200, { '@odata.context': metadata(ctx, `${context}/$entity`), ...project(withExpanded(item, expandable, expanded), select) });
}
