/**
 * What Image Pro accesses, caches and stores, which Microsoft Graph scopes it holds and why, and where its
 * traffic goes. `npm run trust` renders this into image/TRUST.md; keep it true to the code.
 */
import { commonDataRows, endpoints, signInScopes, userReadScope, type TrustDeclaration } from '@teamspro/core/trust/declaration';

const kept = 'Stored as long as the organization uses the app; erased when the tenant is offboarded.';

export const trust: TrustDeclaration = {
  appName: 'Image Pro',
  summary:
    "Image Pro pins edited images from the team's Microsoft SharePoint document library to Microsoft Teams channel tabs, with an in-browser editor, a personal tab and a message extension that inserts image cards.",
  data: [
    // Image Pro does work with the team's files: the images it browses, edits and saves back.
    ...commonDataRows({ channelNames: true }).map((row) => row.data === 'Teams files'
      ? { ...row, accessed: true, notes: "Images in the team's Microsoft SharePoint document library, listed, read and saved back through Microsoft Graph on behalf of the signed-in user. The app keeps no copy; GPS metadata is removed from the images it saves." }
      : row),
    { data: 'Image configuration', accessed: true, cached: false, stored: true, notes: `Each tab's settings, chosen when the tab is set up: the pinned image or gallery and how it is shown. ${kept}` },
    { data: 'Image properties', accessed: true, cached: false, stored: true, notes: `Title, description (alternative text) and tags users give an image, linked to the SharePoint file. ${kept}` },
    { data: 'User data', accessed: true, cached: false, stored: true, notes: `Azure AD object id and UPN of the people who edit images and tabs. ${kept}` },
  ],
  graphScopes: [
    userReadScope,
    {
      scope: 'Sites.ReadWrite.All',
      description: 'Allows the app to edit or delete documents and list items in all site collections on behalf of the signed-in user.',
      justification: "Browses the team's document library and saves edited images back, as a new version or a new file. Limited to what the signed-in user can already access.",
      adminConsent: false,
    },
    ...signInScopes,
  ],
  endpoints: [
    { name: 'The app\'s own host (App Service, `TAB_DOMAIN`)', comments: 'The tabs, the editor, their API and the bot\'s messaging endpoint `/api/messages` (welcome, help and the message extension).' },
    endpoints.graph('the signed-in user\'s profile and the team\'s document library (folders, thumbnails, search, upload sessions)'),
    { name: '`*.sharepoint.com`', comments: 'Microsoft SharePoint: image content downloaded and uploaded through the URLs Microsoft Graph returns.' },
    endpoints.entra(),
    endpoints.botFramework('replying to the bot and message extension'),
    endpoints.storage('tables for the data above'),
    endpoints.appInsights('image content'),
  ],
};
