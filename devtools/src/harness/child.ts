import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export type ManagedChild = {
  name: string;
  process: ChildProcess;
  /** Sends SIGTERM to the process group, then SIGKILL if it has not exited after the grace period. */
  stop(graceMs?: number): Promise<void>;
  /** Last lines the process printed, for error messages. */
  output(): string;
  /** The first match of `pattern` in what the process prints; rejects if it exits or `timeoutMs` passes first. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
};

const running = new Set<ManagedChild>();
/** set by stopAllChildren({ refuseNew: true }): a process shutting down starts no more children */
let refusing = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, signal); } catch { try { child.kill(signal); } catch { /* gone */ } }
}

/**
 * Starts a child in its own process group so that stopping it also stops anything it started.
 * Every child started here is killed when this process exits, so nothing is left behind; a signal that ends
 * this process skips that, so a process meant to be stopped with Ctrl-C handles it and calls stopAllChildren().
 */
export function startChild(name: string, command: string, args: string[], options: SpawnOptions & { quiet?: boolean } = {}): ManagedChild {
  if (refusing) throw new Error(`not starting ${name}: this process is stopping`);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    lines.push(text);
    if (lines.length > 200) lines.shift();
    if (!options.quiet) process.stdout.write(text.split('\n').filter(Boolean).map((l) => `[${name}] ${l}\n`).join(''));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const managed: ManagedChild = {
    name,
    process: child,
    output: () => lines.join(''),
    waitForOutput: (pattern, timeoutMs) => new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = lines.join('').match(pattern);
        if (!match) return;
        finish();
        resolve(match);
      };
      const onExit = () => { finish(); reject(new Error(`${name} exited before printing ${pattern}:\n${lines.join('')}`)); };
      const timer = setTimeout(() => { finish(); reject(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${lines.join('')}`)); }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        child.stderr?.off('data', check);
        child.off('exit', onExit);
      };
      child.stdout?.on('data', check);
      child.stderr?.on('data', check);
      child.once('exit', onExit);
      check();
    }),
    async stop(graceMs = 5000) {
      running.delete(managed);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  child.once('exit', () => running.delete(managed));
  running.add(managed);
  return managed;
}

/**
 * Stops every child started here. `refuseNew`: for a process shutting down while something may still be starting
 * children (Ctrl-C during start-up); any later startChild throws instead of leaving a process no one stops.
 */
export async function stopAllChildren({ refuseNew = false }: { refuseNew?: boolean } = {}): Promise<void> {
  if (refuseNew) refusing = true;
  await Promise.all([...running].map((c) => c.stop()));
}

process.once('exit', () => { for (const c of running) killGroup(c.process, 'SIGKILL'); });
