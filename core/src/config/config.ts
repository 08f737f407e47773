import { z } from 'zod';

/** Azurite's well-known development connection string: the local default, refused in production. */
export const AZURITE_DEFAULT_CONNECTION_STRING = 'UseDevelopmentStorage=true';

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional());
const booleanFlag = z.preprocess((v) => (v === undefined || v === '' ? undefined : String(v).toLowerCase()), z.enum(['true', 'false', '1', '0']).optional())
  .transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalUrl,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STORAGE_CONNECTION_STRING: optionalText,
  /** Prefix for table and queue names, so several test runs or environments can share one account. */
  STORAGE_PREFIX: z.string().regex(/^[a-z][a-z0-9]{0,15}$/, 'lowercase letters and digits, starting with a letter, at most 16').default('tp'),
  /** Audiences the tab API accepts: the app's client id and/or its Application ID URI, comma-separated. */
  AUTH_AUDIENCE: optionalText,
  /** Issuer template; {tenantid} is replaced by the token's tid claim. */
  AUTH_ISSUER: z.string().default('https://login.microsoftonline.com/{tenantid}/v2.0'),
  AUTH_JWKS_URL: z.url().default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
  /** Comma-separated tenant ids allowed to use this deployment; empty means any tenant. */
  AUTH_ALLOWED_TENANTS: optionalText,
  /** The local identity provider in devtools/. Setting it turns on dev sign-in; production refuses it. */
  DEV_IDENTITY_URL: optionalUrl,
  /** Bot / Entra app credentials, under the names the Teams SDK reads. */
  CLIENT_ID: optionalText,
  CLIENT_SECRET: optionalText,
  TENANT_ID: optionalText,
  MANAGED_IDENTITY_CLIENT_ID: optionalText,
  GRAPH_BASE_URL: z.url().default('https://graph.microsoft.com'),
  /** The Teams app's manifest id (appPackage/manifest.json `id`); the tenant app catalog has it as the app's externalId. */
  TEAMS_APP_ID: optionalText,
  /** The app's id in the tenant app catalog (Graph teamsApp id; `teamsapp publish` writes it as TEAMS_APP_PUBLISHED_APP_ID). Looked up by TEAMS_APP_ID when unset. */
  TEAMS_APP_CATALOG_ID: optionalText,
  /** Run queue workers inside the web process (the default) or only in `node dist/worker.js`. */
  IN_PROCESS_WORKERS: booleanFlag.default(true),
});

export type Config = {
  nodeEnv: 'development' | 'test' | 'production';
  isProduction: boolean;
  port: number;
  host: string;
  publicUrl?: string;
  logLevel: string;
  storage: { connectionString: string; prefix: string };
  auth: {
    audiences: string[];
    issuerTemplate: string;
    jwksUrl: string;
    allowedTenants: string[];
    /** set only outside production: the dev identity provider's base URL */
    devIdentityUrl?: string;
  };
  bot: { clientId?: string; clientSecret?: string; tenantId?: string; managedIdentityClientId?: string; authenticated: boolean };
  graph: { baseUrl: string };
  /** The app in Teams: manifest id and tenant app catalog id, when configured (installing the app through Graph needs one of them). */
  teamsApp: { manifestId?: string; catalogId?: string };
  inProcessWorkers: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const splitList = (v?: string) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/**
 * Reads and validates the environment. Every problem names the variable at fault.
 * In production, dev sign-in and a bot without credentials are refused.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const problems: string[] = [];
  const botAuthenticated = Boolean(e.CLIENT_ID && (e.CLIENT_SECRET || e.MANAGED_IDENTITY_CLIENT_ID));

  if (isProduction) {
    if (e.DEV_IDENTITY_URL) problems.push('DEV_IDENTITY_URL: dev sign-in is refused when NODE_ENV=production; unset it and use Microsoft Entra ID');
    if (!e.CLIENT_ID) problems.push('CLIENT_ID: a bot without credentials is refused when NODE_ENV=production');
    else if (!botAuthenticated) problems.push('CLIENT_SECRET: the bot needs CLIENT_SECRET or MANAGED_IDENTITY_CLIENT_ID when NODE_ENV=production');
    if (!e.STORAGE_CONNECTION_STRING) problems.push('STORAGE_CONNECTION_STRING: required when NODE_ENV=production');
    else if (/UseDevelopmentStorage=true|devstoreaccount1/i.test(e.STORAGE_CONNECTION_STRING)) problems.push('STORAGE_CONNECTION_STRING: the Azurite development account is refused when NODE_ENV=production');
    if (!e.AUTH_AUDIENCE) problems.push('AUTH_AUDIENCE: required when NODE_ENV=production (the app client id or Application ID URI)');
    if (e.AUTH_ISSUER.includes('127.0.0.1') || e.AUTH_ISSUER.includes('localhost')) problems.push('AUTH_ISSUER: a local issuer is refused when NODE_ENV=production');
  }
  if (problems.length) throw new ConfigError(problems);

  const devIdentityUrl = e.DEV_IDENTITY_URL?.replace(/\/$/, '');
  return {
    nodeEnv: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    storage: { connectionString: e.STORAGE_CONNECTION_STRING ?? AZURITE_DEFAULT_CONNECTION_STRING, prefix: e.STORAGE_PREFIX },
    auth: {
      audiences: splitList(e.AUTH_AUDIENCE ?? e.CLIENT_ID),
      issuerTemplate: devIdentityUrl ? `${devIdentityUrl}/{tenantid}/v2.0` : e.AUTH_ISSUER,
      jwksUrl: devIdentityUrl ? `${devIdentityUrl}/discovery/v2.0/keys` : e.AUTH_JWKS_URL,
      allowedTenants: splitList(e.AUTH_ALLOWED_TENANTS),
      devIdentityUrl,
    },
    bot: { clientId: e.CLIENT_ID, clientSecret: e.CLIENT_SECRET, tenantId: e.TENANT_ID, managedIdentityClientId: e.MANAGED_IDENTITY_CLIENT_ID, authenticated: botAuthenticated },
    graph: { baseUrl: e.GRAPH_BASE_URL.replace(/\/$/, '') },
    teamsApp: { manifestId: e.TEAMS_APP_ID, catalogId: e.TEAMS_APP_CATALOG_ID },
    inProcessWorkers: e.IN_PROCESS_WORKERS,
  };
}
