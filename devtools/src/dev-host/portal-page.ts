import type { SuiteApp } from '../suite.js';

export type PortalLinks = {
  apps: Array<{ app: SuiteApp; url: string; playgroundUrl: string; signInAs: Array<{ label: string; upn: string }> }>;
  tools: Array<{ name: string; url: string; description: string }>;
  storageConnectionString: string;
};

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page `npm start` prints: every tab, bot and tool of the local suite with its URL. */
export function portalPage(links: PortalLinks): string {
  const appRows = links.apps.map(({ app, url, playgroundUrl, signInAs }) => `
      <section aria-labelledby="app-${app.id}">
        <h2 id="app-${app.id}">${escape(app.displayName)}</h2>
        <ul>
          <li>Tab, signed in as: ${signInAs.map((u) => `<a href="${escape(`${url}/tab/?login_hint=${encodeURIComponent(u.upn)}`)}">${escape(u.label)}</a>`).join(' · ')}</li>
          <li><a href="${escape(playgroundUrl)}">Bot in the Microsoft 365 Agents Playground</a></li>
          <li><a href="${escape(`${url}/healthz`)}">Health</a> · <a href="${escape(`${url}/readyz`)}">Readiness</a></li>
        </ul>
      </section>`).join('');
  const toolRows = links.tools.map((t) => `<li><a href="${escape(t.url)}">${escape(t.name)}</a> — ${escape(t.description)}</li>`).join('\n        ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>TeamsPro suite — local portal</title>
  <style>
    body { font-family: "Segoe UI", system-ui, sans-serif; margin: 0; color: #242424; background: #f5f5f5; }
    header { background: #4f52b2; color: #fff; padding: 16px 24px; }
    main { padding: 8px 24px 32px; max-width: 1100px; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 16px; }
    section { background: #fff; border-radius: 8px; padding: 4px 16px 12px; box-shadow: 0 1px 2px rgba(0,0,0,.14); }
    a { color: #3d3e8f; }
    a:focus-visible { outline: 2px solid #242424; outline-offset: 2px; }
    code { background: #e8e8e8; color: #242424; padding: 2px 4px; border-radius: 4px; word-break: break-all; }
    li { margin: 6px 0; }
  </style>
</head>
<body>
  <header><h1>TeamsPro suite — local portal</h1><p>Everything below runs on this machine. Stop it all with Ctrl-C in the terminal that ran <code>npm start</code>.</p></header>
  <main>
    <h2>Apps</h2>
    <div class="grid">${appRows}
    </div>
    <section aria-labelledby="tools">
      <h2 id="tools">Tools</h2>
      <ul>
        ${toolRows}
        <li>Azurite (Azure Storage emulator): <code>${escape(links.storageConnectionString)}</code></li>
      </ul>
    </section>
  </main>
</body>
</html>`;
}
