import type { ILogger } from '@microsoft/teams.common';
import type { Logger } from '../log.js';

/** Routes the Teams SDK's logging into our pino logger, so one log stream and one level apply. */
export function teamsLoggerFrom(logger: Logger): ILogger {
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  const make = (child: Logger): ILogger => ({
    debug: (...m) => child.debug(text(m)),
    info: (...m) => child.debug(text(m)),
    warn: (...m) => child.warn(text(m)),
    error: (...m) => child.error(text(m)),
    trace: (...m) => child.trace(text(m)),
    log: (level, ...m) => child[level === 'trace' ? 'trace' : level](text(m)),
    child: (name) => make(child.child({ component: name })),
  });
  return make(logger.child({ component: 'teams' }));
}
