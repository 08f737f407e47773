import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../src/config/config.js';

const production = {
  NODE_ENV: 'production',
  STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=teamsprodata;AccountKey=abc;EndpointSuffix=core.windows.net',
  AUTH_AUDIENCE: 'api://teamspro.example.com/7d9f3a1e-1111-4444-8888-000000000001',
  CLIENT_ID: '7d9f3a1e-1111-4444-8888-000000000001',
  MANAGED_IDENTITY_CLIENT_ID: '7d9f3a1e-1111-4444-8888-000000000002',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems;
  }
  return [];
}

describe('config', function () {
  it('accepts a complete production environment', function () {
    const config = loadConfig(production);
    assert.equal(config.isProduction, true);
    assert.equal(config.bot.authenticated, true);
    assert.equal(config.auth.devIdentityUrl, undefined);
    assert.equal(config.auth.issuerTemplate, 'https://login.microsoftonline.com/{tenantid}/v2.0');
  });

  it('refuses dev sign-in in production, naming the variable', function () {
    const problems = problemsOf({ ...production, DEV_IDENTITY_URL: 'http://127.0.0.1:4200' });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^DEV_IDENTITY_URL: dev sign-in is refused/);
  });

  it('refuses a bot without credentials in production', function () {
    const { CLIENT_ID: _id, ...noClient } = production;
    assert.ok(problemsOf(noClient).some((p) => p.startsWith('CLIENT_ID: a bot without credentials is refused')));
    const { MANAGED_IDENTITY_CLIENT_ID: _mi, ...noSecret } = production;
    assert.ok(problemsOf(noSecret).some((p) => p.startsWith('CLIENT_SECRET:')));
  });

  it('refuses the Azurite account and a missing audience in production', function () {
    assert.ok(problemsOf({ ...production, STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).some((p) => p.startsWith('STORAGE_CONNECTION_STRING:')));
    const { AUTH_AUDIENCE: _a, ...noAudience } = production;
    assert.ok(problemsOf(noAudience).some((p) => p.startsWith('AUTH_AUDIENCE:')));
  });

  it('names the variable holding a malformed value', function () {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', DEV_IDENTITY_URL: 'not a url' });
    assert.ok(problems.some((p) => p.startsWith('PORT:')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('LOG_LEVEL:')));
    assert.ok(problems.some((p) => p.startsWith('DEV_IDENTITY_URL:')));
  });

  it('in development, runs the bot without credentials and derives issuer and keys from the dev identity provider', function () {
    const config = loadConfig({ DEV_IDENTITY_URL: 'http://127.0.0.1:4200/' });
    assert.equal(config.bot.authenticated, false);
    assert.equal(config.auth.issuerTemplate, 'http://127.0.0.1:4200/{tenantid}/v2.0');
    assert.equal(config.auth.jwksUrl, 'http://127.0.0.1:4200/discovery/v2.0/keys');
    assert.equal(config.storage.connectionString, 'UseDevelopmentStorage=true');
  });

  it('reads the Teams app\'s manifest and catalog ids when given, and leaves them unset (not empty) otherwise', function () {
    const config = loadConfig({ TEAMS_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', TEAMS_APP_CATALOG_ID: 'b1c5353a-7aca-41b3-830f-27d5218fe0e5' });
    assert.deepEqual(config.teamsApp, { manifestId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', catalogId: 'b1c5353a-7aca-41b3-830f-27d5218fe0e5' });
    assert.deepEqual(loadConfig({ TEAMS_APP_ID: '', TEAMS_APP_CATALOG_ID: '' }).teamsApp, { manifestId: undefined, catalogId: undefined });
  });
});
