/**
 * What MetaOffice Pro accesses, caches and stores, which Microsoft Graph scopes it holds and why, and where
 * its traffic goes. `npm run trust` renders this into metaoffice/TRUST.md; keep it true to the code.
 */
import { commonDataRows, endpoints, signInScopes, userReadScope, type TrustDeclaration } from '@teamspro/core/trust/declaration';

const kept = 'Stored as long as the organization uses the app; erased when the tenant is offboarded.';

export const trust: TrustDeclaration = {
  appName: 'MetaOffice Pro',
  summary:
    'MetaOffice Pro gives each team a 2D virtual office in Microsoft Teams, with real-time movement, Microsoft Teams presence on avatars, conversations that start Microsoft Teams chats, calls and meetings, and knocks and invitations through the activity feed.',
  data: [
    ...commonDataRows({ channelNames: true }),
    { data: 'Office configuration', accessed: true, cached: false, stored: true, notes: `Each team's offices: the map (shipped or uploaded in the Tiled format), rooms, desks, spawn points and the Microsoft Teams meeting each meeting room keeps. ${kept}` },
    { data: 'Audio / video configuration', accessed: true, cached: false, stored: true, notes: `Each user's preferred microphone, speaker and camera. ${kept}` },
    { data: 'User data', accessed: true, cached: false, stored: true, notes: `Azure AD object id, UPN, avatar and status of the people who enter an office. ${kept}` },
    { data: 'User presence', accessed: true, cached: false, stored: false, notes: 'Microsoft Teams presence of the people in an office, read from Microsoft Graph in batches while someone is in the office and passed to the people in it. Never stored.' },
    { data: 'Office positions and chat', accessed: true, cached: false, stored: false, notes: 'Avatar positions, emotes and in-office chat messages, relayed in real time to the people nearby. Not stored.' },
  ],
  graphScopes: [
    userReadScope,
    {
      scope: 'Presence.Read.All',
      description: 'Allows the app to read presence information of all users in the directory on behalf of the signed-in user.',
      justification: 'Shows colleagues\' Microsoft Teams presence on their avatars and in the people panel.',
      adminConsent: false,
    },
    {
      scope: 'Presence.ReadWrite',
      description: 'Allows the app to read the presence information and write activity and availability on behalf of the signed-in user.',
      justification: 'Focus mode sets the signed-in user to Do Not Disturb, and back.',
      adminConsent: false,
    },
    {
      scope: 'OnlineMeetings.ReadWrite',
      description: 'Allows the app to read and create online meetings on behalf of the signed-in user.',
      justification: 'Creates the Microsoft Teams meeting a conversation or a meeting room opens.',
      adminConsent: false,
    },
    {
      scope: 'TeamMember.Read.All',
      description: 'Allows the app to read the members of teams on behalf of the signed-in user.',
      justification: 'Lists the members of the team whose office the user opens.',
      adminConsent: true,
    },
    {
      scope: 'TeamsActivity.Send',
      description: 'Allows the app to create new notifications in users\' teamwork activity feeds on behalf of the signed-in user.',
      justification: 'Delivers a knock or an invitation to a room to the colleague the user chooses.',
      adminConsent: false,
    },
    ...signInScopes,
  ],
  endpoints: [
    { name: 'The app\'s own host (App Service, `TAB_DOMAIN`)', comments: 'The office tab, its API, the maps and the bot\'s messaging endpoint `/api/messages`.' },
    { name: '`*.webpubsub.azure.com`', comments: 'Azure Web PubSub for Socket.IO: real-time movement, presence updates and chat between the people in an office.' },
    endpoints.graph('profiles, team members, presence, online meetings and activity feed notifications'),
    endpoints.entra(),
    endpoints.botFramework('the bot\'s welcome and help messages'),
    endpoints.storage('tables for the data above, uploaded maps'),
    endpoints.appInsights('chat content'),
  ],
};
