import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type ManagedChild } from '../harness/child.js';
import { freePort, waitForPort } from '../harness/ports.js';
import { prioritise, prioritiseRealtime } from '../harness/priority.js';
import { personalConversationId } from './conversations.js';
import type { ChaosSettings } from './chaos.js';
import type { ConnectorReport, Delivery, ReportOptions, ThrottleRecord } from './record.js';
import type { ConnectorStats } from './server.js';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');

/** The simulator running in its own process (main.ts), driven over its /_simulator/ control endpoints. */
export type SimulatorProcess = {
  url: string;
  pid: number | undefined;
  /** what the process got of the scheduling asked for: real-time, a nice value, or neither (not root) */
  scheduling: 'realtime' | 'nice' | 'normal';
  conversationIdFor(tenantId: string, userId: string): string;
  stats(): Promise<ConnectorStats>;
  chaos(settings: ChaosSettings): Promise<void>;
  deliveries(): Promise<Delivery[]>;
  throttles(): Promise<ThrottleRecord[]>;
  report(options: ReportOptions): Promise<ConnectorReport>;
  stop(): Promise<void>;
};

/**
 * Starts the Bot Connector simulator as a separate process, as Teams is a separate service: its
 * one-second windows then time requests by its own event loop, not one shared with the caller.
 * `realtime` (a FIFO priority, 1–99) or else `priority` (a nice value, e.g. -10) stands for Teams running on
 * its own machines; both need root and are skipped otherwise (`scheduling` says what it got).
 */
export async function startSimulatorProcess(opts: { capPerTenant: number; perConversation?: boolean; realtime?: number; priority?: number }): Promise<SimulatorProcess> {
  const port = await freePort();
  // real-time, V8's garbage-collector helper threads would run at the simulator's priority too and, on two
  // cores, hold both while its event loop waits behind them: one thread then does all of its work
  const args = [...(opts.realtime !== undefined ? ['--single-threaded-gc'] : []), '--import', 'tsx', main, '--port', String(port), '--cap', String(opts.capPerTenant), '--quiet', ...(opts.perConversation === false ? ['--no-thread-limits'] : [])];
  const child: ManagedChild = startChild('connector simulator', process.execPath, args, { quiet: true });
  await waitForPort(port);
  const scheduling = opts.realtime !== undefined && prioritiseRealtime(child.process.pid, opts.realtime) ? 'realtime'
    : opts.priority !== undefined && prioritise(child.process.pid, opts.priority) ? 'nice'
    : 'normal';
  const url = `http://127.0.0.1:${port}`;
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_simulator/${route}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator ${method} ${route}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    url,
    pid: child.process.pid,
    scheduling,
    conversationIdFor: personalConversationId,
    stats: () => call<ConnectorStats>('GET', 'stats'),
    chaos: async (settings) => { await call('POST', 'chaos', settings); },
    async deliveries() {
      const all: Delivery[] = [];
      for (;;) {
        const page = await call<{ deliveries: Delivery[]; total: number }>('GET', `deliveries?since=${all.length}&limit=100000`);
        all.push(...page.deliveries);
        if (page.deliveries.length === 0 || all.length >= page.total) return all;
      }
    },
    throttles: async () => (await call<{ throttles: ThrottleRecord[] }>('GET', 'throttles')).throttles,
    report: (options) => call<ConnectorReport>('POST', 'report', options),
    stop: () => child.stop(),
  };
}
