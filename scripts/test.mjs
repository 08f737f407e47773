// `npm test`: type-check the whole workspace, build the tabs the browser tests open, then one mocha run.
import { spawnSync } from 'node:child_process';

function run(label, command, args) {
  process.stdout.write(`\n== ${label}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
  if (result.status !== 0) {
    process.stdout.write(`\n${label} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
run('type-check', npx, ['tsc', '-p', 'tsconfig.json']);
run('build tabs', process.execPath, ['scripts/build-tabs.mjs']);
const specs = process.argv.slice(2);
run('tests', npx, ['mocha', ...(specs.length ? specs : ['core/test/**/*.test.ts', 'templates/test/**/*.test.ts', 'devtools/test/**/*.test.ts', '{communicator,contact,calendar,image,metaoffice}/test/**/*.test.ts'])]);
