/**
 * What an app declares about the data it handles and the Graph scopes it holds.
 * `npm run trust` renders this, the manifest and the installed dependencies into <app>/TRUST.md.
 */
export type DataHandling = {
  /** Category name as the trust page shows it, e.g. "Topics". */
  data: string;
  accessed: boolean;
  cached: boolean;
  stored: boolean;
  notes: string;
};

export type GraphScope = {
  scope: string;
  description: string;
  justification: string;
  adminConsent: boolean;
  /**
   * An application permission the app's own identity uses without a signed-in user (granted by an
   * administrator to the app's identity, not requested at sign-in, so not in infra/aad.manifest.json).
   */
  application?: boolean;
};

export type NetworkEndpoint = { name: string; comments: string };

export type TrustDeclaration = {
  appName: string;
  summary: string;
  data: DataHandling[];
  graphScopes: GraphScope[];
  endpoints: NetworkEndpoint[];
};

/** The sign-in scopes every app requests; none needs admin consent. */
export const signInScopes: GraphScope[] = [
  { scope: 'email', description: "Gives the app access to the user's primary email address in the form of the email claim.", justification: 'Identifies the signed-in user.', adminConsent: false },
  { scope: 'openid', description: 'Used to sign in with OpenID Connect.', justification: 'Single sign-on from Microsoft Teams.', adminConsent: false },
  { scope: 'offline_access', description: 'Gives the app access to resources on behalf of the user for an extended time.', justification: 'Lets the app refresh its on-behalf-of token without asking the user to sign in again.', adminConsent: false },
  { scope: 'profile', description: 'Gives the app access to basic information about the user in the claims.', justification: 'Shows the signed-in user name in the app.', adminConsent: false },
];

export const userReadScope: GraphScope = {
  scope: 'User.Read',
  description: 'Sign in and read the profile of the signed-in user.',
  justification: 'Reads the signed-in user profile to show it in the app.',
  adminConsent: false,
};

/** Rows every app shares: how user profiles, channels, conversations and files are handled. */
export function commonDataRows(opts: { channelNames: boolean }): DataHandling[] {
  return [
    { data: 'User profiles', accessed: true, cached: false, stored: true, notes: 'Azure AD object id, display name and UPN, from the validated sign-in token. Stored as long as the organization uses the app; erased when the tenant is offboarded.' },
    { data: 'Teams channel', accessed: opts.channelNames, cached: false, stored: opts.channelNames, notes: opts.channelNames ? 'Name and id of the channel the app is added to. No cache.' : 'No access.' },
    { data: 'Teams conversations', accessed: false, cached: false, stored: false, notes: 'No access to messages. The bot stores only the conversation id it needs to reply.' },
    { data: 'Teams files', accessed: false, cached: false, stored: false, notes: 'No access.' },
  ];
}

/** Network endpoints every app reaches; each takes what this app does there. */
export const endpoints = {
  graph: (what: string): NetworkEndpoint => ({ name: '`graph.microsoft.com`', comments: `Microsoft Graph: ${what}.` }),
  entra: (tokens = 'and the on-behalf-of token exchange'): NetworkEndpoint => ({
    name: '`login.microsoftonline.com`', comments: `Microsoft Entra ID: keys to validate sign-in tokens, ${tokens} for Microsoft Graph.`,
  }),
  botFramework: (what: string): NetworkEndpoint => ({
    name: '`smba.trafficmanager.net`, `api.botframework.com`, `login.botframework.com`',
    comments: `Bot Framework: ${what} (Bot Connector), and validating the tokens Microsoft Teams sends the bot.`,
  }),
  storage: (what: string): NetworkEndpoint => ({
    name: '`*.table.core.windows.net`, `*.queue.core.windows.net`, `*.blob.core.windows.net`', comments: `Azure Storage in the deployment's subscription: ${what}.`,
  }),
  appInsights: (withoutWhat: string): NetworkEndpoint => ({
    name: '`*.in.applicationinsights.azure.com`', comments: `Application Insights: performance and error telemetry, without ${withoutWhat}.`,
  }),
};
