import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAzurite, type RunningAzurite } from '../harness/azurite.js';
import { startChild, stopAllChildren, type ManagedChild } from '../harness/child.js';
import { waitForHttp } from '../harness/ports.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../identity/index.js';
import { playgroundChats, sandboxManifestId, startGraphSandbox } from '../graph/index.js';
import { startMailSink, type RunningMailSink } from '../mail/index.js';
import { signInUsers } from '../seed/tenants.js';
import { localPorts, suiteApps } from '../suite.js';
import { portalPage, type PortalLinks } from './portal-page.js';
import { parseDotenv } from '../packaging/env.js';

/** First inspector port; VS Code's "Attach" entries use 9239 + the app's index in suiteApps. */
const firstInspectorPort = 9239;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type DevHostOptions = {
  /** added to every fixed port, so a second stack (tests) can run beside `npm start` */
  portOffset?: number;
  /** where Azurite keeps its data between runs */
  dataDir?: string;
  /** start each app with the Node inspector on 9239 + its index (VS Code F5 attaches there) */
  inspect?: boolean;
  /** an app whose `<app>/.localConfigs` (real bot and Entra credentials from teamsapp.local.yml) overrides the local defaults */
  localConfigsApp?: string;
  log?: (line: string) => void;
};

export type RunningDevHost = { portalUrl: string; stop(): Promise<void> };

/** Starts the whole local suite. Every process it starts is in its own group and stopped by stop(). */
export async function startDevHost(opts: DevHostOptions = {}): Promise<RunningDevHost> {
  const offset = opts.portOffset ?? 0;
  const log = opts.log ?? ((line: string) => console.log(line));
  const port = (p: number) => p + offset;
  const stoppers: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
    await stopAllChildren();
  };
  mkdirSync(path.join(repoRoot, '.devdata'), { recursive: true });
  try {
    log('starting Azurite…');
    const azurite: RunningAzurite = await startAzurite({
      ports: { blob: port(localPorts.azuriteBlob), queue: port(localPorts.azuriteQueue), table: port(localPorts.azuriteTable) },
      location: opts.dataDir ?? path.join(repoRoot, '.devdata', offset ? `azurite-${offset}` : 'azurite'),
    });
    stoppers.push(() => azurite.stop({ keepData: true }));

    const identity: RunningIdentityProvider = await startIdentityProvider({ port: port(localPorts.identity) });
    stoppers.push(identity.stop);
    const graph = await startGraphSandbox({ port: port(localPorts.graph), identityUrl: identity.url });
    stoppers.push(graph.stop);
    // an app installed for a user through Graph gets its chat on that app's Playground, so the bot can send to it
    // where each app's Agents Playground listens: it takes another port when its own is taken (the playground
    // ports are in Linux's ephemeral range, where an outgoing connection may hold one for a moment)
    const playgroundPorts = new Map<string, number>();
    graph.control.chatsFrom(playgroundChats((catalogApp) => {
      const app = suiteApps.find((a) => sandboxManifestId(a.id) === catalogApp.externalId);
      return app ? `http://127.0.0.1:${playgroundPorts.get(app.id) ?? port(app.playgroundPort)}/_connector` : undefined;
    }));
    const mail: RunningMailSink = await startMailSink({ smtpPort: port(localPorts.smtp), webPort: port(localPorts.mailWeb) });
    stoppers.push(mail.stop);
    log(`identity provider ${identity.url} · Graph sandbox ${graph.url} · mail ${mail.url}`);

    const children: ManagedChild[] = [];
    const apps: PortalLinks['apps'] = [];
    const playgroundsListening: Promise<void>[] = [];
    for (const [index, app] of suiteApps.entries()) {
      const appPort = port(app.port);
      const localConfigsFile = path.join(repoRoot, app.id, '.localConfigs');
      const localConfigs = opts.localConfigsApp === app.id && existsSync(localConfigsFile) ? parseDotenv(readFileSync(localConfigsFile, 'utf8')) : {};
      const inspect = opts.inspect ? [`--inspect=127.0.0.1:${firstInspectorPort + index}`] : [];
      const url = `http://127.0.0.1:${appPort}`;
      children.push(startChild(app.id, process.execPath, [...inspect, '--import', 'tsx', path.join(repoRoot, app.id, 'src', 'index.ts')], {
        cwd: repoRoot,
        quiet: false,
        env: {
          ...process.env,
          NODE_ENV: 'development',
          PORT: String(appPort),
          HOST: '127.0.0.1',
          PUBLIC_URL: url,
          STORAGE_CONNECTION_STRING: azurite.connectionString,
          DEV_IDENTITY_URL: identity.url,
          GRAPH_BASE_URL: graph.url,
          AUTH_AUDIENCE: `api://localhost/${app.id}`,
          // the manifest id of the local package, which the Graph sandbox's app catalog knows
          TEAMS_APP_ID: sandboxManifestId(app.id),
          SMTP_URL: `smtp://127.0.0.1:${mail.smtpPort}`,
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
          ...localConfigs,
        },
      }));
      const playgroundPort = port(app.playgroundPort);
      const playground = startChild(`${app.id}-playground`, process.execPath, [path.join(repoRoot, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js'),
        'start', '-e', `${url}/api/messages`, '-c', 'msteams', '--dt', '-p', String(playgroundPort)], {
        cwd: path.join(repoRoot, '.devdata'),
        env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: path.join(repoRoot, '.devdata', `playground-${app.id}.log`) },
      });
      children.push(playground);
      const links = {
        app, url, playgroundUrl: `http://127.0.0.1:${playgroundPort}/`,
        signInAs: signInUsers().map(({ user, tenant }) => ({ label: `${user.displayName} (${tenant.domain})`, upn: user.userPrincipalName })),
      };
      apps.push(links);
      playgroundsListening.push(playground.waitForOutput(/Listening on (\d+)/, 60_000).then((match) => {
        const actual = Number(match[1]);
        playgroundPorts.set(app.id, actual);
        if (actual !== playgroundPort) log(`${app.id}'s Agents Playground listens on ${actual}: ${playgroundPort} was taken`);
        links.playgroundUrl = `http://127.0.0.1:${actual}/`;
      }));
    }
    await Promise.all([...apps.map((a) => waitForHttp(`${a.url}/readyz`, 60_000)), ...playgroundsListening]);
    await Promise.all(apps.map((a) => waitForHttp(a.playgroundUrl, 60_000)));

    const links: PortalLinks = {
      apps,
      tools: [
        { name: 'Dev sign-in page', url: `${identity.url}/authorize?client_id=${encodeURIComponent('api://localhost/communicator')}&redirect_uri=${encodeURIComponent(`${apps[0]!.url}/tab/auth-callback`)}&state=portal`, description: 'the local identity provider: sample users of two tenants' },
        { name: 'Identity provider keys (JWKS)', url: `${identity.url}/discovery/v2.0/keys`, description: 'the keys the apps validate tokens with' },
        { name: 'Graph sandbox request log', url: `${graph.url}/_sandbox/requests`, description: 'Microsoft Graph stand-in: every request it answered' },
        { name: 'Graph sandbox activity notifications', url: `${graph.url}/_sandbox/notifications`, description: 'activity-feed notifications the apps sent' },
        { name: 'Mail inbox', url: mail.url, description: 'mail the apps sent (SMTP on port ' + mail.smtpPort + ')' },
      ],
      storageConnectionString: azurite.connectionString,
    };
    const html = portalPage(links);
    const portal = http.createServer((req, res) => {
      if (req.url === '/' || req.url === '/index.html') { res.setHeader('content-type', 'text/html; charset=utf-8'); res.end(html); return; }
      if (req.url === '/links.json') { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(links)); return; }
      res.statusCode = 404; res.end('not found');
    });
    await new Promise<void>((resolve, reject) => { portal.once('error', reject); portal.listen(port(localPorts.portal), '127.0.0.1', () => resolve()); });
    stoppers.push(() => new Promise<void>((r) => { portal.close(() => r()); portal.closeAllConnections(); }));
    const portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}/`;
    return { portalUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
