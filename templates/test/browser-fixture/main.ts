// Renders every catalog card in the browser the way a tab's preview does: expand, validate, then draw
// with the adaptivecards renderer. The test reads the outcome from window.__templateResults.
import { AdaptiveCard } from 'adaptivecards';
import { cardCatalog, renderBroadcastCard, validateCard } from '../../src/index.js';

export interface BrowserResult {
  name: string;
  errors: string[];
  bytes: number;
  renderedElements: number;
  text: string;
  scripts: number;
}

declare global {
  interface Window {
    __templateResults?: BrowserResult[];
    __templateError?: string;
  }
}

function draw(name: string, json: object): BrowserResult {
  const { errors, bytes } = validateCard(json);
  const card = new AdaptiveCard();
  card.parse(json);
  const element = card.render();
  const host = document.createElement('section');
  host.dataset.card = name;
  if (element) host.appendChild(element);
  document.getElementById('cards')!.appendChild(host);
  return {
    name,
    errors,
    bytes,
    renderedElements: host.querySelectorAll('*').length,
    text: host.textContent ?? '',
    scripts: host.querySelectorAll('script, iframe, object, embed').length,
  };
}

try {
  const results = cardCatalog.map((entry) => draw(entry.name, entry.render(entry.sample)));
  const hostile = renderBroadcastCard('standard', {
    messageId: 'm-1',
    title: '<script>window.__pwned = true</script>${$root.messageId}',
    summary: '<img src=x onerror="window.__pwned = true">',
    feedback: { comment: true },
  });
  results.push(draw('hostile', hostile));
  window.__templateResults = results;
} catch (error) {
  window.__templateError = String((error as Error).stack ?? error);
}
