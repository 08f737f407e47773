/**
 * What Company Communicator Pro accesses, caches and stores, which Microsoft Graph scopes it holds and why,
 * and where its traffic goes. `npm run trust` renders this into communicator/TRUST.md; keep it true to the code.
 */
import { commonDataRows, endpoints, signInScopes, userReadScope, type TrustDeclaration } from '@teamspro/core/trust/declaration';

const kept = 'Stored as long as the organization uses the app; erased when the tenant is offboarded.';

export const trust: TrustDeclaration = {
  appName: 'Company Communicator Pro',
  summary:
    'Company Communicator Pro lets the authors an organization chooses compose Adaptive Card messages and deliver them in Microsoft Teams to people, teams, channels and groups, then reports on delivery, reads, clicks and feedback.',
  data: [
    ...commonDataRows({ channelNames: true }),
    { data: 'Company Communicator configuration', accessed: true, cached: false, stored: true, notes: `Settings the tenant administrators choose and the list of authors. ${kept}` },
    { data: 'Topics', accessed: true, cached: false, stored: true, notes: `Topic names and descriptions authors create; every message has one. ${kept}` },
    { data: 'Images', accessed: true, cached: false, stored: true, notes: `Images authors upload to the gallery, in folders, with their cropped and resized versions, in Azure Blob Storage. ${kept}` },
    { data: 'Messages', accessed: true, cached: false, stored: true, notes: `Drafts, templates, scheduled and sent messages with their language variants and audiences, and the delivery report of each (recipient, status, failure reason, reads, clicks). ${kept}` },
    { data: 'Feedbacks', accessed: true, cached: false, stored: true, notes: `Reactions, acknowledgements, ratings and comments recipients give on a message, with the recipient's Azure AD object id. ${kept}` },
    { data: 'User data', accessed: true, cached: false, stored: true, notes: `Recipients' Azure AD object id, UPN and preferred language, from the teams, groups and lists authors target, and the conversation id the bot delivers to. ${kept}` },
    { data: 'Distribution lists', accessed: true, cached: false, stored: true, notes: `Lists of user principal names authors upload (.csv or .xlsx) to target a message, with the rows that were rejected and why. ${kept}` },
    { data: 'Teams user ids', accessed: true, cached: false, stored: true, notes: `Each recipient's Microsoft Teams user id and the 1:1 chat the bot opened with them, learned from team rosters, so later messages reach them without another lookup. ${kept}` },
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
  ],
  endpoints: [
    { name: 'The app\'s own host (App Service, `TAB_DOMAIN`)', comments: 'The author tab, its API and the bot\'s messaging endpoint `/api/messages`.' },
    endpoints.graph('the signed-in user\'s profile and the members of the groups and teams authors target'),
    endpoints.entra(),
    endpoints.botFramework('delivering messages and reading conversation members'),
    endpoints.storage('tables for the data above, the delivery queue, images'),
    endpoints.appInsights('message content'),
  ],
};
