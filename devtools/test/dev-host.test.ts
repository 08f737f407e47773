import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startChild, type ManagedChild } from '../src/harness/child.js';
import { localPorts, suiteApps } from '../src/suite.js';

/** The ports the stack listens on with this offset: none may stay open after Ctrl-C. */
function stackPorts(offset: number): number[] {
  return [...Object.values(localPorts), ...suiteApps.flatMap((a) => [a.port, a.playgroundPort])].map((p) => p + offset);
}

const isOpen = (port: number) => new Promise<boolean>((resolve) => {
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});

/** Processes whose environment holds `marker` (Linux's /proc): those a dev host started with it, wherever they are now. */
function processesWith(marker: string): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker)) {
        found.push({ pid: Number(pid), command: readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').slice(0, 160) });
      }
    } catch { /* gone, or not ours to read */ }
  }
  return found;
}

describe('npm start (the dev host)', function () {
  // a port offset keeps this stack apart from one a developer may be running
  const offset = 700 + Math.floor(Math.random() * 50);
  let host: ManagedChild;
  let portalUrl = '';
  const dataDir = mkdtempSync(path.join(tmpdir(), 'teamspro-devhost-'));

  // one Playground's port is taken (as an outgoing connection may hold one: they are in the ephemeral range)
  const blockedApp = suiteApps.at(-1)!;
  const blocker = net.createServer();

  before(async function () {
    this.timeout(180_000);
    await new Promise<void>((resolve, reject) => { blocker.once('error', reject); blocker.listen(blockedApp.playgroundPort + offset, '127.0.0.1', () => resolve()); });
    host = startChild('dev-host', process.execPath, ['--import', 'tsx', 'devtools/src/dev-host/main.ts'], {
      env: { ...process.env, TEAMSPRO_PORT_OFFSET: String(offset), TEAMSPRO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      cwd: path.resolve('.'),
    });
    portalUrl = (await host.waitForOutput(/Portal: (http:\/\/\S+)/, 150_000))[1]!;
  });

  after(async function () {
    if (blocker.listening) await new Promise<void>((resolve) => blocker.close(() => resolve()));
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a portal whose every link answers 200', async function () {
    const html = await (await fetch(portalUrl)).text();
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    // five tabs × signed-in users, five Playgrounds, health and readiness, and the tools
    assert.ok(links.length >= suiteApps.length * 4 + 4, `only ${links.length} links`);
    for (const app of suiteApps) assert.ok(links.some((l) => l.includes(`:${app.port + offset}/tab/`)), `no tab link for ${app.id}`);
    const failures: string[] = [];
    for (const link of links) {
      const res = await fetch(link, { redirect: 'manual' });
      if (res.status !== 200) failures.push(`${res.status} ${link}`);
    }
    assert.deepEqual(failures, []);
    // the Playground whose port was taken took another, and the portal links to where it listens
    const moved = new RegExp(`${blockedApp.id}'s Agents Playground listens on (\\d+): ${blockedApp.playgroundPort + offset} was taken`).exec(host.output());
    assert.ok(moved, `no word of the taken port:\n${host.output()}`);
    assert.ok(links.includes(`http://127.0.0.1:${moved[1]}/`), 'the portal links to the port it took');
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });

  it('stops everything on Ctrl-C, leaving no port open', async function () {
    this.timeout(60_000);
    const exited = new Promise<number | null>((resolve) => host.process.once('exit', (code) => resolve(code)));
    process.kill(host.process.pid!, 'SIGINT');
    assert.equal(await exited, 0);
    const stillOpen: number[] = [];
    const moved = [...host.output().matchAll(/Agents Playground listens on (\d+)/g)].map((m) => Number(m[1]));
    for (const port of [...stackPorts(offset), ...moved]) if (await isOpen(port)) stillOpen.push(port);
    assert.deepEqual(stillOpen, []);
  });
});

describe('npm start stopped with Ctrl-C while it is still starting', function () {
  const offset = 800 + Math.floor(Math.random() * 50);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'teamspro-devhost-'));
  const marker = `TEAMSPRO_DATA_DIR=${dataDir}`;
  let host: ManagedChild | undefined;

  after(async function () {
    await host?.stop();
    // whatever a failed run left behind
    for (const { pid } of processesWith(marker)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops every process it had started, although the suite was not up yet', async function () {
    this.timeout(120_000);
    host = startChild('dev-host', process.execPath, ['--import', 'tsx', 'devtools/src/dev-host/main.ts'], {
      env: { ...process.env, TEAMSPRO_PORT_OFFSET: String(offset), TEAMSPRO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      cwd: path.resolve('.'),
    });
    // Azurite and the apps are started, the first Playground listens, the portal is not printed yet
    await host.waitForOutput(/Agents Playground|Listening on \d+/, 90_000);
    assert.doesNotMatch(host.output(), /Portal:/);
    const exited = new Promise<number | null>((resolve) => host!.process.once('exit', (code) => resolve(code)));
    process.kill(host.process.pid!, 'SIGINT');
    assert.equal(await exited, 0);
    // the dev host's children run in process groups of their own: a Ctrl-C reaches only the dev host
    assert.deepEqual(processesWith(marker).map((p) => p.command), []);
  });
});
