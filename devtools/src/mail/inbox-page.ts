import type { SinkMessage } from './message.js';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const styles = `
  body { font-family: system-ui, "Segoe UI", sans-serif; margin: 0; background: #ffffff; color: #1b1b1b; }
  main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
  article { border: 1px solid #616161; border-radius: 4px; padding: 1rem; margin: 1rem 0; }
  h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 .75rem; }
  dt { font-weight: 600; }
  dd { margin: 0; overflow-wrap: anywhere; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f5f5f5; color: #1b1b1b; padding: .75rem; margin: 0; font: inherit; }
  a { color: #0e4f88; }
  a:focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; }
`;

/** The inbox as one accessible page; only the text part is shown, so no message markup ever runs here. */
export function inboxPage(messages: SinkMessage[]): string {
  const items = messages.map((m, i) => `
<article aria-labelledby="subject-${i}">
  <h2 id="subject-${i}">${escapeHtml(m.subject || '(no subject)')}</h2>
  <dl>
    <dt>From</dt><dd>${escapeHtml(m.from)}</dd>
    <dt>To</dt><dd>${escapeHtml(m.to.join(', '))}</dd>
    ${m.cc.length > 0 ? `<dt>Cc</dt><dd>${escapeHtml(m.cc.join(', '))}</dd>` : ''}
    <dt>Date</dt><dd><time datetime="${escapeHtml(m.date)}">${escapeHtml(new Date(m.date).toUTCString())}</time></dd>
    ${m.attachments.length > 0 ? `<dt>Attachments</dt><dd>${escapeHtml(m.attachments.map((a) => `${a.filename ?? 'unnamed'} (${a.size} bytes)`).join(', '))}</dd>` : ''}
  </dl>
  <pre>${escapeHtml(m.text)}</pre>
</article>`).join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Mail sink — local inbox</title><style>${styles}</style></head>
<body><main>
<h1>Mail sink — local inbox</h1>
<p>Every message sent to the local SMTP sink lands here; nothing leaves this machine. ${messages.length} message${messages.length === 1 ? '' : 's'}, newest first. <a href="/">Refresh</a> · <a href="/api/messages">JSON</a></p>
${items || '<p>No messages yet.</p>'}
</main></body>
</html>`;
}
