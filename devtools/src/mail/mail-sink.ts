import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { inboxPage } from './inbox-page.js';
import { toSinkMessage, type SinkMessage } from './message.js';

export const maxMessageBytes = 10 * 1024 * 1024;

export type RunningMailSink = {
  smtpPort: number;
  /** origin of the inbox page (`/`) and `GET /api/messages` */
  url: string;
  /** received messages, newest first */
  messages: () => SinkMessage[];
  clear: () => void;
  stop: () => Promise<void>;
};

type SizeError = Error & { responseCode?: number };

function smtpSink(received: SinkMessage[]): SMTPServer {
  return new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxMessageBytes,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => { if (!stream.sizeExceeded) chunks.push(chunk); });
      stream.on('error', callback);
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          const err: SizeError = new Error(`552 Message exceeds the sink's size limit of ${maxMessageBytes} bytes`);
          err.responseCode = 552;
          return callback(err);
        }
        simpleParser(Buffer.concat(chunks)).then((parsed) => {
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          received.unshift(toSinkMessage(parsed, envelope));
          callback();
        }, callback);
      });
    },
  });
}

function inboxApp(received: SinkMessage[]): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => { res.type('html').send(inboxPage(received)); });
  app.get('/api/messages', (_req, res) => { res.json(received); });
  app.delete('/api/messages', (_req, res) => { received.length = 0; res.status(204).end(); });
  return app;
}

function listen(server: Server | SMTPServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const net = server instanceof SMTPServer ? server.server : server;
    net.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((net.address() as AddressInfo).port));
  });
}

/** Starts the SMTP sink and its inbox page, both on 127.0.0.1; port 0 lets the OS choose. */
export async function startMailSink({ smtpPort = 0, webPort = 0 }: { smtpPort?: number; webPort?: number } = {}): Promise<RunningMailSink> {
  const received: SinkMessage[] = [];
  const smtp = smtpSink(received);
  const web = createServer(inboxApp(received));
  const boundSmtp = await listen(smtp, smtpPort);
  const boundWeb = await listen(web, webPort);
  return {
    smtpPort: boundSmtp,
    url: `http://127.0.0.1:${boundWeb}`,
    messages: () => [...received],
    clear: () => { received.length = 0; },
    stop: async () => {
      web.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => web.close(() => resolve())),
        new Promise<void>((resolve) => smtp.close(() => resolve())),
      ]);
    },
  };
}
