import type { CatalogApp } from './app-catalog.js';
import type { ChatFactory } from './installed-apps.js';

/**
 * A ChatFactory for the Graph sandbox that makes the chat of an app install a conversation an Agents
 * Playground's Bot Connector accepts: it opens the user's 1:1 chat there (`POST {connector}/v3/conversations`,
 * the Bot Framework's conversations.create, which the Playground accepts for its mock users) and answers
 * with the Playground's conversation id. So a bot that installs itself through Graph and sends to the chat
 * id Graph gives it reaches the Playground, as it would reach Teams.
 *
 * `connector` is the Playground's Bot Connector URL (its `serviceUrl`, `http://…/_connector`), or a function
 * choosing it by app (the dev host runs one Playground per app). Users the Playground does not have (no
 * `playgroundId`, e.g. generated staff) and apps without a connector keep the sandbox's own chat id.
 */
export function playgroundChats(connector: string | ((app: CatalogApp) => string | undefined)): ChatFactory {
  return async ({ tenantId, user, app }) => {
    const base = typeof connector === 'string' ? connector : connector(app);
    if (!base || !user.playgroundId) return undefined;
    const res = await fetch(`${base.replace(/\/+$/, '')}/v3/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ isGroup: false, members: [{ id: user.playgroundId, name: user.displayName }], tenantId, channelData: { tenant: { id: tenantId } } }),
    });
    if (!res.ok) throw new Error(`the Playground refused to open ${user.displayName}'s chat: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
}
