import assert from 'node:assert/strict';
import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import { maxMessageBytes, startMailSink, type RunningMailSink, type SinkMessage } from '../src/mail/index.js';

describe('mail sink (local SMTP + inbox page)', () => {
  let sink: RunningMailSink;
  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true });

  before(async () => { sink = await startMailSink(); });
  after(async () => { await sink.stop(); });
  beforeEach(async () => { assert.equal((await fetch(`${sink.url}/api/messages`, { method: 'DELETE' })).status, 204); });

  it('receives a message over SMTP and lists it in /api/messages and on the page', async () => {
    const info = await transport().sendMail({
      from: 'Megan Bowen <meganb@example.com>',
      to: ['adelev@example.com', 'Patti Fernandez <pattif@example.com>'],
      cc: 'lynner@example.com',
      bcc: 'alexw@example.com',
      subject: 'Quarterly update <script>alert(1)</script>',
      text: 'Hello team,\nthe quarterly numbers are in.',
      html: '<p>Hello team,</p><p>the quarterly numbers are in.</p>',
      attachments: [{ filename: 'numbers.csv', content: 'a,b\n1,2\n', contentType: 'text/csv' }],
    });
    assert.equal(info.rejected.length, 0);

    const api = (await (await fetch(`${sink.url}/api/messages`)).json()) as SinkMessage[];
    assert.equal(api.length, 1);
    const [message] = api;
    assert.equal(message!.from, '"Megan Bowen" <meganb@example.com>');
    assert.deepEqual(message!.to, ['adelev@example.com', 'Patti Fernandez <pattif@example.com>']);
    assert.deepEqual(message!.cc, ['lynner@example.com']);
    assert.deepEqual([...message!.envelope.to].sort(), ['adelev@example.com', 'alexw@example.com', 'lynner@example.com', 'pattif@example.com']);
    assert.equal(message!.subject, 'Quarterly update <script>alert(1)</script>');
    assert.equal(message!.text.trim(), 'Hello team,\nthe quarterly numbers are in.');
    assert.match(message!.html ?? '', /<p>Hello team,<\/p>/);
    assert.deepEqual(message!.attachments, [{ filename: 'numbers.csv', contentType: 'text/csv', size: 8 }]);
    assert.ok(!Number.isNaN(Date.parse(message!.date)));
    assert.deepEqual(sink.messages(), api);

    const page = await fetch(`${sink.url}/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<main>/);
    assert.match(html, /<h1>/);
    assert.ok(html.includes('Quarterly update &lt;script&gt;alert(1)&lt;/script&gt;'), 'subject shown, escaped');
    assert.ok(!html.includes('<script>'), 'no markup from the message reaches the page');
    assert.ok(html.includes('&quot;Megan Bowen&quot; &lt;meganb@example.com&gt;'));
    assert.ok(html.includes('adelev@example.com, Patti Fernandez &lt;pattif@example.com&gt;'));
    assert.ok(html.includes('the quarterly numbers are in.'));
    assert.ok(html.includes(`datetime="${message!.date}"`));
  });

  it('lists messages newest first', async () => {
    for (const subject of ['first', 'second']) {
      await transport().sendMail({ from: 'a@example.com', to: 'b@example.com', subject, text: subject });
    }
    const api = (await (await fetch(`${sink.url}/api/messages`)).json()) as SinkMessage[];
    assert.deepEqual(api.map((m) => m.subject), ['second', 'first']);
  });

  it('rejects a message over the size limit at the SMTP level and keeps nothing of it', async () => {
    const big = Buffer.alloc(maxMessageBytes + 1024 * 1024, 'a');
    await assert.rejects(
      transport().sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'too big', text: 'see attachment', attachments: [{ filename: 'big.bin', content: big }] }),
      (err: Error & { responseCode?: number }) => err.responseCode === 552,
    );
    assert.equal(sink.messages().length, 0);
    const api = (await (await fetch(`${sink.url}/api/messages`)).json()) as SinkMessage[];
    assert.equal(api.length, 0);
  });

  it('also rejects an oversized message from a client that does not declare its size', async () => {
    const replies = await rawSmtp(sink.smtpPort, ['EHLO test', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.com>', 'DATA'],
      `Subject: undeclared\r\n\r\n${'b'.repeat(998)}\r\n`.repeat(Math.ceil((maxMessageBytes + 4096) / 1000)));
    assert.match(replies.at(-1)!, /^552 /);
    assert.equal(sink.messages().length, 0);
  });
});

/** Speaks SMTP line by line (nodemailer always declares SIZE, so the sink's DATA-time check needs a plain socket). */
async function rawSmtp(port: number, commands: string[], data: string): Promise<string[]> {
  const socket = connect({ port, host: '127.0.0.1' });
  const replies: string[] = [];
  const pending: Array<() => void> = [];
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    // A reply is complete at a line with a space after the code (lines of a multi-line reply use a dash).
    const last = buffered.split('\r\n').find((line) => /^\d{3} /.test(line));
    if (last) { replies.push(last); buffered = ''; pending.shift()?.(); }
  });
  const nextReply = () => new Promise<void>((resolve) => pending.push(resolve));
  await nextReply(); // greeting
  for (const command of commands) {
    const reply = nextReply();
    socket.write(`${command}\r\n`);
    await reply;
  }
  const reply = nextReply();
  socket.write(`${data}.\r\n`);
  await reply;
  socket.end('QUIT\r\n');
  return replies;
}
