/**
 * What Company Communicator Pro accesses, caches and stores, which Microsoft Graph scopes it holds and why,
 * and where its traffic goes. `npm run trust` renders this into communicator/TRUST.md; keep it true to the code.
 */
import { commonDataRows, endpoints, signInScopes, userReadScope, type TrustDeclaration } from '@teamspro/core/trust/declaration';

const kept = 'Stored as long as the organization uses the app; erased when a tenant administrator deletes all data (offboarding, Settings).';

export const trust: TrustDeclaration = {
  appName: 'Company Communicator Pro',
  summary:
    'Company Communicator Pro lets the authors an organization chooses compose Adaptive Card messages and deliver them in Microsoft Teams to people, teams, channels and groups, then reports on delivery, reads, clicks and feedback.',
  data: [
    ...commonDataRows({ channelNames: true }),
    { data: 'Company Communicator configuration', accessed: true, cached: false, stored: true, notes: `Settings the tenant administrators choose and the list of authors. ${kept}` },
    { data: 'Topics', accessed: true, cached: false, stored: true, notes: `Topic names and descriptions authors create; every message has one. ${kept}` },
    { data: 'Images', accessed: true, cached: false, stored: true, notes: `Images authors upload to the gallery (at most 4 MB each), re-encoded without their metadata (camera, location), with a thumbnail and every cropped or resized version, in Azure Blob Storage; their names, descriptions and folders in Azure Table Storage. Cards show them through signed links that need no sign-in (Teams fetches card images itself). Deleting an image deletes every version. ${kept}` },
    { data: 'Messages', accessed: true, cached: false, stored: true, notes: `Drafts, templates, scheduled and sent messages with their language variants and audiences, and the delivery report of each (recipient, status, failure reason, reads, clicks; for a channel post, who viewed it and when). An author may edit or recall a sent message: the bot then replaces or deletes the card it posted in each chat. Sent messages and their reports are deleted once older than the retention the tenant administrators set (checked hourly; 0 keeps them). ${kept}` },
    { data: 'Feedbacks', accessed: true, cached: false, stored: true, notes: `Reactions, acknowledgements, ratings and comments recipients give on a message, with the recipient's Azure AD object id. ${kept}` },
    { data: 'User data', accessed: true, cached: false, stored: true, notes: `Recipients' Azure AD object id, UPN and preferred language, from the teams, groups and lists authors target, and the conversation id the bot delivers to. While a message's audience is being resolved, each page read from a group's members in Microsoft Graph, a team's roster from the Bot Connector, or an uploaded list's lookups in the directory (object id, Teams user id, name, UPN, preferred language) is kept in Azure Blob Storage so an interrupted resolve can resume; those pages are deleted as soon as the recipients are recorded. ${kept}` },
    { data: 'Distribution lists', accessed: true, cached: false, stored: true, notes: `Lists of user principal names authors upload (.csv or .xlsx) to target a message, with the rows that were rejected and why. ${kept}` },
    { data: 'Teams user ids', accessed: true, cached: false, stored: true, notes: `Each recipient's Microsoft Teams user id and the 1:1 chat the bot opened with them, learned from the app's personal installs, from team rosters and (with proactive installation on) from the chat Microsoft Graph gives when it installs the app for them, so later messages reach them without another lookup. A channel post's card lists up to 60 members of the team, from its roster, so Microsoft Teams refreshes it for them when they view it. ${kept}` },
  ],
  graphScopes: [
    userReadScope,
    {
      scope: 'Group.Read.All',
      description: 'Allows the app to list groups, and to read their properties and all group memberships on behalf of the signed-in user.',
      justification: 'Lets authors pick Microsoft 365 and security groups as audiences, and resolves the groups\' transitive members when a message is sent.',
      adminConsent: true,
    },
    ...signInScopes,
    {
      scope: 'TeamsAppInstallation.ReadWriteSelfForUser.All',
      description: 'Allows a Teams app to read, install, upgrade, and uninstall itself for any user, without a signed-in user.',
      justification: 'Proactive installation, off until a tenant administrator turns it on in the settings: installs Company Communicator Pro for recipients (from groups and uploaded lists) who have no chat with its bot yet, and reads the 1:1 chat that creates, so the message reaches them. It installs this app only.',
      adminConsent: true,
      application: true,
    },
    {
      scope: 'AppCatalog.Read.All',
      description: 'Allows the app to read apps in the app catalogs without a signed-in user.',
      justification: 'Finds this app\'s id in the tenant app catalog (by its manifest id) for proactive installation, when the deployment does not set TEAMS_APP_CATALOG_ID.',
      adminConsent: true,
      application: true,
    },
  ],
  endpoints: [
    { name: 'The app\'s own host (App Service, `TAB_DOMAIN`)', comments: 'The author tab, its API and the bot\'s messaging endpoint `/api/messages`.' },
    endpoints.graph('the signed-in user\'s profile, the members of the groups and teams authors target, and (with proactive installation on) installing the app for recipients'),
    endpoints.entra('on-behalf-of and app-only tokens'),
    endpoints.botFramework('delivering, editing and deleting messages, and reading conversation members'),
    endpoints.storage('tables for the data above, the delivery and edit/recall queues, images'),
    endpoints.appInsights('message content'),
  ],
};
