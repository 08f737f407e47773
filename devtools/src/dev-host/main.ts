import { stopAllChildren } from '../harness/child.js';
import { startDevHost, type RunningDevHost } from './dev-host.js';

// Signals are handled from the first moment: the children run in process groups of their own, so a Ctrl-C
// that killed this process during start-up would leave Azurite, apps and Playgrounds running.
let host: RunningDevHost | undefined;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    const stopped = host ? host.stop() : stopAllChildren({ refuseNew: true });
    void stopped.then(() => process.exit(0), () => process.exit(1));
  });
}

try {
  host = await startDevHost({
    portOffset: Number(process.env.TEAMSPRO_PORT_OFFSET ?? 0), dataDir: process.env.TEAMSPRO_DATA_DIR || undefined,
    inspect: process.env.TEAMSPRO_INSPECT === '1',
    localConfigsApp: process.env.TEAMSPRO_LOCAL_CONFIGS || undefined,
  });
} catch (err) {
  // stopped during start-up: the signal handler is already stopping every child and will exit
  if (!stopping) throw err;
}
if (host && !stopping) console.log(`\nTeamsPro suite is running. Portal: ${host.portalUrl}\nPress Ctrl-C to stop everything.\n`);
