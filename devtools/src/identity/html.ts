import { signInUsers } from '../seed/tenants.js';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// Colours keep at least 7:1 contrast for body text and 4.5:1 for button text (WCAG AA).
const styles = `
  body { font-family: system-ui, "Segoe UI", sans-serif; margin: 0; background: #ffffff; color: #1b1b1b; }
  main { max-width: 44rem; margin: 0 auto; padding: 1.5rem; }
  h1 { font-size: 1.5rem; }
  .warning { background: #fff4ce; color: #3d2a00; border: 1px solid #8a6100; padding: .75rem 1rem; border-radius: 4px; }
  ul { list-style: none; padding: 0; }
  li { margin: .5rem 0; }
  button { width: 100%; text-align: left; font: inherit; padding: .75rem 1rem; border-radius: 4px; cursor: pointer;
    background: #0e4f88; color: #ffffff; border: 2px solid #0e4f88; }
  button:hover { background: #0a3a64; }
  button:focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; }
  .detail { display: block; font-size: .9rem; }
  code { background: #f0f0f0; color: #1b1b1b; padding: 0 .25rem; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${styles}</style></head>
<body><main>${body}</main></body>
</html>`;
}

export type AuthorizeParams = { clientId: string; redirectUri: string; state: string; scope: string };

/** The sign-in page: one button per named sample user, grouped by tenant, each submitting the authorize form. */
export function signInPage(params: AuthorizeParams): string {
  const hidden = [
    ['client_id', params.clientId], ['redirect_uri', params.redirectUri], ['state', params.state], ['scope', params.scope],
  ].map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value!)}">`).join('');
  const byTenant = new Map<string, ReturnType<typeof signInUsers>>();
  for (const entry of signInUsers()) byTenant.set(entry.tenant.id, [...(byTenant.get(entry.tenant.id) ?? []), entry]);
  const sections = [...byTenant.values()].map((entries, i) => {
    const tenant = entries[0]!.tenant;
    const items = entries.map(({ user }) => {
      const roles = user.roles.length > 0 ? ` · ${user.roles.join(', ')}` : '';
      return `<li><button type="submit" name="user" value="${escapeHtml(user.id)}">Sign in as ${escapeHtml(user.displayName)} `
        + `<span class="detail">${escapeHtml(user.userPrincipalName)} · ${escapeHtml(user.jobTitle)}${escapeHtml(roles)}</span></button></li>`;
    }).join('');
    return `<section aria-labelledby="tenant-${i}"><h2 id="tenant-${i}">${escapeHtml(tenant.displayName)}</h2>`
      + `<form method="post" action="/authorize">${hidden}<ul>${items}</ul></form></section>`;
  }).join('');
  return page('Dev sign-in — not for production', `
<h1>Dev sign-in — not for production</h1>
<p class="warning">This local identity provider signs you in as a sample user without a password. It exists only for development and tests.</p>
<p>Signing in to <code>${escapeHtml(params.clientId)}</code>. Choose a user:</p>
${sections}`);
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p>`);
}
