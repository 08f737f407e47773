import type { Express } from 'express';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:"Segoe UI",system-ui,sans-serif;max-width:760px;margin:32px auto;padding:0 16px;line-height:1.5;color:#242424}</style></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;

/** The privacy and terms pages the app manifest links to (developer.privacyUrl / termsOfUseUrl). */
export function registerLegalPages(web: Express, displayName: string) {
  web.get('/privacy', (_req, res) => {
    res.type('html').send(page(`${displayName} — privacy`, `<p>${displayName} stores only what its trust page lists, in the Azure Storage account of the organization that runs it. The tenant comes only from the validated Microsoft Teams sign-in; no organization can read another's data.</p>
<p>The full list of data handled, Microsoft Graph permissions and dependencies is in the app's TRUST.md. Ask your administrator to export or erase your data; offboarding an organization erases all of its data.</p>`));
  });
  web.get('/terms', (_req, res) => {
    res.type('html').send(page(`${displayName} — terms of use`, `<p>${displayName} is provided by your organization's administrators under the terms they agreed with TeamsPro. Use it in line with your organization's policies and Microsoft Teams' terms.</p>`));
  });
}
