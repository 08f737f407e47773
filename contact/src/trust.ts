/**
 * What Contact Pro accesses, caches and stores, which Microsoft Graph scopes it holds and why, and where
 * its traffic goes. `npm run trust` renders this into contact/TRUST.md; keep it true to the code.
 */
import { commonDataRows, endpoints, signInScopes, userReadScope, type TrustDeclaration } from '@teamspro/core/trust/declaration';

const kept = 'Stored as long as the organization uses the app; erased when the tenant is offboarded.';

export const trust: TrustDeclaration = {
  appName: 'Contact Pro',
  summary:
    'Contact Pro keeps shared contact books in Microsoft Teams channels and chats, lists your books in a personal tab, and inserts contact cards into conversations from a message extension.',
  data: [
    ...commonDataRows({ channelNames: true }),
    { data: 'Contact configuration', accessed: true, cached: false, stored: true, notes: `Each contact book's settings, chosen when the tab is set up: view, custom fields, groups and who may add, modify or delete contacts. ${kept}` },
    { data: 'Contact properties', accessed: true, cached: false, stored: true, notes: `The contacts in each book (name, job title, company, department, e-mails, phones, address, website, notes, photo, tags, custom fields), and deleted contacts for 30 days in the trash. ${kept}` },
    { data: 'User data', accessed: true, cached: false, stored: true, notes: `Azure AD object id and UPN of the people given permissions on a book, and each user's favourites. ${kept}` },
  ],
  graphScopes: [userReadScope, ...signInScopes],
  endpoints: [
    { name: 'The app\'s own host (App Service, `TAB_DOMAIN`)', comments: 'The tabs, their API and the bot\'s messaging endpoint `/api/messages` (welcome, help and the message extension).' },
    endpoints.graph('the signed-in user\'s profile'),
    endpoints.entra(),
    endpoints.botFramework('replying to the bot and message extension'),
    endpoints.storage('tables for the data above, the import queue, contact photos and import files'),
    endpoints.appInsights('contact data'),
  ],
};
