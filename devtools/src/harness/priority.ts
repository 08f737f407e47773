import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Gives a process a scheduling priority (a nice value; below 0 needs root). Returns false when it could not.
 * On Linux a nice value belongs to one thread, so every thread the process has gets it: V8's garbage
 * collector helpers too, whose pauses would otherwise wait behind every other process. Threads it starts
 * later inherit the value from the thread that starts them.
 */
export function prioritise(pid: number | undefined, nice: number): boolean {
  if (pid === undefined) return false;
  try {
    for (const thread of threadsOf(pid)) setPriority(thread, nice);
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts every thread of a process under the real-time FIFO policy at `rtPriority` (1–99), with util-linux's
 * chrt (Node has no call for it): each then runs as soon as it is ready, ahead of every normal process,
 * where even nice −10 can wait tens of milliseconds behind busy peers on two cores. The kernel's real-time
 * throttling still leaves normal processes 5% of each core. Needs root (or CAP_SYS_NICE); returns false
 * when it could not, leaving the process as it was.
 */
export function prioritiseRealtime(pid: number | undefined, rtPriority: number): boolean {
  if (pid === undefined) return false;
  const result = spawnSync('chrt', ['--fifo', '--all-tasks', '--pid', String(rtPriority), String(pid)], { stdio: 'ignore' });
  return result.status === 0;
}

function threadsOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [pid]; // no /proc: the process's main thread only
  }
}
