import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { prioritise, prioritiseRealtime } from '../src/harness/priority.js';

/** A field of each thread's /proc stat line, by its number in proc(5) (fields after the command in parentheses start at 3). */
function statOfThreads(pid: number, field: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[field - 3]);
  });
}

const niceOfThreads = (pid: number) => statOfThreads(pid, 19);
/** scheduling policy: 0 normal, 1 FIFO */
const policyOfThreads = (pid: number) => statOfThreads(pid, 41);
const rtPriorityOfThreads = (pid: number) => statOfThreads(pid, 40);

async function idleNode() {
  const child = spawn(process.execPath, ['-e', 'process.stdout.write("up"); setTimeout(() => {}, 30000)'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return child;
}

describe('process priority (bench harness)', function () {
  it('gives the nice value to every thread of the process, not only its main thread', async function () {
    const child = await idleNode();
    try {
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

  it('puts every thread under real-time FIFO scheduling as root, and leaves the process as it was otherwise', async function () {
    const child = await idleNode();
    try {
      const before = policyOfThreads(child.pid!);
      assert.deepEqual(before, before.map(() => 0), 'a new process is scheduled normally');
      const asRoot = process.getuid?.() === 0;
      assert.equal(prioritiseRealtime(child.pid, 7), asRoot);
      assert.deepEqual(policyOfThreads(child.pid!), before.map(() => (asRoot ? 1 : 0)));
      assert.deepEqual(rtPriorityOfThreads(child.pid!), before.map(() => (asRoot ? 7 : 0)));
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('reports failure for a process that is gone', function () {
    assert.equal(prioritiseRealtime(2 ** 22 + 12345, 7), false);
  });
});
