import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, redact: { paths: ['req.headers.authorization', 'token', '*.token', 'password', '*.password'], censor: '[redacted]' } });
}

export const silentLogger: Logger = pino({ level: 'silent' });
