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

function threadsOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [pid]; // no /proc: the process's main thread only
  }
}
