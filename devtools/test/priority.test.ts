import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { prioritise } from '../src/harness/priority.js';

/** The nice value of each thread of a process, from /proc (field 19 of stat, after the command in parentheses). */
function niceOfThreads(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('process priority (bench harness)', function () {
  it('gives the nice value to every thread of the process, not only its main thread', async function () {
    const child = spawn(process.execPath, ['-e', 'process.stdout.write("up"); setTimeout(() => {}, 30000)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(child.stdout!, 'data');
      const before = niceOfThreads(child.pid!);
      assert.ok(before.length > 1, 'node runs helper threads beside its main thread');
      // raising a nice value needs no root, so this runs anywhere
      const target = Math.min(19, Math.max(...before) + 3);
      assert.equal(prioritise(child.pid, target), true);
      assert.deepEqual(niceOfThreads(child.pid!), before.map(() => target));
    } finally {
      child.kill('SIGKILL');
    }
  });
});
