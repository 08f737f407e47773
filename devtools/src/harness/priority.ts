import { setPriority } from 'node:os';

/** Gives a process a scheduling priority (a nice value; below 0 needs root). Returns false when it could not. */
export function prioritise(pid: number | undefined, nice: number): boolean {
  if (pid === undefined) return false;
  try {
    setPriority(pid, nice);
    return true;
  } catch {
    return false;
  }
}
