/**
 * What Calendar Pro accesses, caches and stores, which Microsoft Graph scopes it holds and why, and where
 * its traffic goes. `npm run trust` renders this into calendar/TRUST.md; keep it true to the code.
 */
import { commonDataRows, endpoints, signInScopes, userReadScope, type GraphScope, type TrustDeclaration } from '@teamspro/core/trust/declaration';

const kept = 'Stored as long as the organization uses the app; erased when the tenant is offboarded.';

/** Reminders go out when nobody is signed in, so they use resource-specific consent (see appPackage/manifest.json). */
const rsc = (scope: string, where: string): GraphScope => ({
  scope,
  description: `Allows the app to send activity feed notifications to ${where}, without a signed-in user.`,
  justification: `Sends event reminders and change notifications to ${where} at the time they are due. Granted for that resource only, by installing the app.`,
  adminConsent: false,
});

export const trust: TrustDeclaration = {
  appName: 'Calendar Pro',
  summary:
    'Calendar Pro keeps shared calendars in Microsoft Teams channels and chats, brings your calendars together in a personal tab, and sends notifications and reminders through the Microsoft Teams activity feed or its bot.',
  data: [
    ...commonDataRows({ channelNames: true }),
    { data: 'Calendar configuration', accessed: true, cached: false, stored: true, notes: `Each calendar's settings, chosen when the tab is set up: views, time zone, business hours, holidays, tags, permissions, notification settings, subscribed iCalendar feed URLs and the secret token of its own feed. ${kept}` },
    { data: 'Calendar events', accessed: true, cached: false, stored: true, notes: `Events with their recurrence, participants, tags, links and reminders, events imported from .ics files and subscribed feeds, and deleted events in the trash. ${kept}` },
    { data: 'User data', accessed: true, cached: false, stored: true, notes: `Azure AD object id and UPN of participants and of people given permissions, each user's own time zone, and the conversation id the bot notifies. ${kept}` },
  ],
  graphScopes: [
    userReadScope,
    {
      scope: 'TeamsActivity.Send',
      description: 'Allows the app to create new notifications in users\' teamwork activity feeds on behalf of the signed-in user.',
      justification: 'Notifies participants or the channel in the activity feed when a user adds, changes or deletes an event.',
      adminConsent: false,
    },
    rsc('TeamsActivity.Send.Chat', 'the members of a chat where Calendar Pro is installed'),
    rsc('TeamsActivity.Send.Group', 'the members of a team where Calendar Pro is installed'),
    rsc('TeamsActivity.Send.User', 'a user who installed Calendar Pro'),
    ...signInScopes,
  ],
  endpoints: [
    { name: 'The app\'s own host (App Service, `TAB_DOMAIN`)', comments: 'The tabs, their API, the calendars\' .ics feeds and the bot\'s messaging endpoint `/api/messages`.' },
    endpoints.graph('the signed-in user\'s profile and activity feed notifications'),
    endpoints.entra('on-behalf-of and app-only tokens'),
    endpoints.botFramework('reminders and notifications sent by the bot'),
    endpoints.storage('tables for the data above, the reminder and notification queues, imported files'),
    { name: 'The iCalendar feeds users subscribe to', comments: 'Fetched periodically from the https URLs calendar owners enter; nothing is sent to them.' },
    endpoints.appInsights('event content'),
  ],
};
