import { startDevHost } from './dev-host.js';

const host = await startDevHost({
  portOffset: Number(process.env.TEAMSPRO_PORT_OFFSET ?? 0), dataDir: process.env.TEAMSPRO_DATA_DIR || undefined,
  inspect: process.env.TEAMSPRO_INSPECT === '1',
  localConfigsApp: process.env.TEAMSPRO_LOCAL_CONFIGS || undefined,
});
console.log(`\nTeamsPro suite is running. Portal: ${host.portalUrl}\nPress Ctrl-C to stop everything.\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    void host.stop().then(() => process.exit(0), () => process.exit(1));
  });
}
