import type { App } from '@microsoft/teams.apps';
import type { Logger } from '../log.js';
import { InstallationStore, type Installation } from './installations.js';

export type LocalizedText = { en: string; fr: string };

export type StandardBotTexts = {
  welcome: LocalizedText;
  help: LocalizedText;
  /** answer to anything the bot does not understand: never a dead end */
  fallback: LocalizedText;
};

export function pickLanguage(locale: string | undefined): 'en' | 'fr' {
  return locale?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

type MinimalActivity = {
  locale?: string;
  serviceUrl?: string;
  from?: { id?: string; aadObjectId?: string; name?: string };
  conversation?: { id: string; conversationType?: unknown; tenantId?: string; name?: string };
  channelData?: { tenant?: { id?: string }; team?: { id?: string; name?: string } };
};

/** The tenant of a bot activity: the Teams SDK has verified the Bot Framework token before handlers run (unless running against the Playground in dev). */
export function tenantOfActivity(activity: MinimalActivity): string | undefined {
  return activity.channelData?.tenant?.id ?? activity.conversation?.tenantId;
}

function installationOf(activity: MinimalActivity): Installation | undefined {
  const conversation = activity.conversation;
  if (!conversation?.id || !activity.serviceUrl) return undefined;
  const type = conversation.conversationType === 'channel' ? 'channel' : conversation.conversationType === 'groupChat' ? 'groupChat' : 'personal';
  return {
    conversationId: conversation.id,
    conversationType: type,
    serviceUrl: activity.serviceUrl,
    userId: type === 'personal' ? activity.from?.aadObjectId : undefined,
    userName: type === 'personal' ? activity.from?.name : undefined,
    teamsUserId: type === 'personal' ? activity.from?.id : undefined,
    teamId: activity.channelData?.team?.id,
    teamName: activity.channelData?.team?.name,
    locale: activity.locale,
    installedAt: new Date().toISOString(),
  };
}

/**
 * What every suite bot does, as the Teams store asks: answer hi/hello/help, welcome on install,
 * never leave a message unanswered; and remember each install for later proactive sends.
 * App-specific handlers go between this and registerFallbackReply.
 */
export function registerStandardBot(app: App, opts: { texts: StandardBotTexts; installations: InstallationStore; logger: Logger }) {
  const { texts, installations, logger } = opts;

  app.on('install.add', async ({ activity, send, api }) => {
    const tenantId = tenantOfActivity(activity);
    const installation = installationOf(activity);
    if (installation?.conversationType === 'personal' && activity.from?.id && (!installation.userName || !installation.userPrincipalName)) {
      // Teams (and the Agents Playground) often send installationUpdate without the user's name: ask the chat's roster
      try {
        const member = await api.conversations.getMemberById(installation.conversationId, activity.from.id);
        installation.userName ||= member.name || undefined;
        installation.userPrincipalName ||= member.userPrincipalName || member.email || undefined;
        installation.userId ||= member.aadObjectId || (member as { objectId?: string }).objectId || undefined;
      } catch (err) {
        logger.warn({ err, conversation: installation.conversationId }, 'install: could not look up the user; stored without a name');
      }
    }
    if (tenantId && installation) await installations.save({ tenantId }, installation);
    else logger.warn({ conversation: activity.conversation?.id }, 'install without tenant or service url: not stored');
    await send(texts.welcome[pickLanguage(activity.locale)]);
  });

  app.on('install.remove', async ({ activity }) => {
    const tenantId = tenantOfActivity(activity);
    const installation = installationOf(activity);
    if (tenantId && installation) await installations.remove({ tenantId }, installation.conversationType, installation.conversationId);
  });

  app.message(/^\s*(hi|hello|hey|bonjour|salut)\b/i, async ({ activity, send }) => {
    await send(texts.welcome[pickLanguage(activity.locale)]);
  });

  app.message(/^\s*(help|aide|\?)\s*$/i, async ({ activity, send }) => {
    await send(texts.help[pickLanguage(activity.locale)]);
  });
}

/** Registered after the app's own handlers: the Teams router runs the first matching route only. */
export function registerFallbackReply(app: App, texts: StandardBotTexts) {
  app.on('message', async ({ activity, send }) => {
    await send(texts.fallback[pickLanguage(activity.locale)]);
  });
}
