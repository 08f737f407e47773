import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import {
  CARD_VERSION,
  TEAMS_MESSAGE_SIZE_LIMIT_BYTES,
  cardCatalog,
  cardTemplates,
  cardTemplateNames,
  loadTemplate,
  validateCard,
  type CardCatalogEntry,
} from '../src/index.js';
import { allText } from './helpers.js';

const cardsDir = new URL('../cards/', import.meta.url);

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, cardsDir), 'utf8'));
}

/** Keeps only what a card cannot be rendered without, to exercise every optional part being absent. */
const minimalData: Record<string, unknown> = {
  'broadcast-standard': { messageId: 'm-1', title: 'Only a title' },
  'broadcast-hero': { messageId: 'm-1', title: 'Only a title' },
  'broadcast-compact': { messageId: 'm-1', title: 'Only a title' },
  'feedback-confirmation': { messageTitle: 'A message', answer: { acknowledged: true } },
  'calendar-reminder': { title: 'Stand-up', start: '2024-03-01T09:00:00Z', end: '2024-03-01T09:15:00Z', timeZone: 'UTC' },
  'event-change': { change: 'added', title: 'Stand-up', start: '2024-03-01T09:00:00Z', end: '2024-03-01T09:15:00Z', timeZone: 'UTC', changedBy: 'Ann' },
  'contact-card': { name: 'Ann Example' },
  'image-card': { imageUrl: 'https://example.com/a.png', altText: 'A red square', title: 'Square' },
  'office-invitation': { kind: 'knock', invitationId: 'i-1', from: { name: 'Ann' }, office: { id: 'o', name: 'Office' }, room: { id: 'r', name: 'Room' } },
};

describe('templates: card catalog', function () {
  it('lists every template exactly once, each with a JSON template and sample data on disk', function () {
    const names = cardCatalog.map((entry) => entry.name);
    assert.deepEqual([...names].sort(), [...cardTemplateNames].sort());
    assert.equal(new Set(names).size, names.length);

    const files = readdirSync(cardsDir).filter((file) => file.endsWith('.json'));
    for (const name of names) {
      assert.ok(files.includes(`${name}.json`), `${name}.json is missing`);
      assert.ok(files.includes(`${name}.sample.json`), `${name}.sample.json is missing`);
      assert.deepEqual(loadTemplate(name), readJson(`${name}.json`), `${name}: the bundled template differs from the file`);
    }
    const strays = files.filter((file) => !names.some((name) => file === `${name}.json` || file === `${name}.sample.json`));
    assert.deepEqual(strays, []);
  });

  for (const entry of cardCatalog as CardCatalogEntry[]) {
    describe(entry.name, function () {
      it('expands its sample data into a valid Adaptive Card 1.5 under the Teams size limit', function () {
        assert.deepEqual(entry.sample, readJson(`${entry.name}.sample.json`));
        const card = entry.render(entry.sample);
        const result = validateCard(card);
        assert.deepEqual(result.errors, []);
        assert.equal(result.ok, true);
        assert.equal(card.version, CARD_VERSION);
        assert.equal(card.type, 'AdaptiveCard');
        assert.ok(result.bytes > 0 && result.bytes < TEAMS_MESSAGE_SIZE_LIMIT_BYTES, `${result.bytes} bytes`);
        assert.equal(result.bytes, Buffer.byteLength(JSON.stringify(card), 'utf8'));
      });

      it('leaves no template expression behind, with the sample or with only the required fields', function () {
        for (const data of [entry.sample, minimalData[entry.name]]) {
          const card = entry.render(data);
          assert.doesNotMatch(JSON.stringify(card), /\$\{|"\$when"|"\$data"/);
          assert.deepEqual(validateCard(card).errors, []);
        }
      });

      it('renders in French', function () {
        const english = entry.render({ ...(entry.sample as object), locale: 'en' });
        const french = entry.render({ ...(entry.sample as object), locale: 'fr-FR' });
        assert.deepEqual(validateCard(french).errors, []);
        assert.equal(french.lang, 'fr');
        assert.notEqual(allText(french) + JSON.stringify(french.actions), allText(english) + JSON.stringify(english.actions));
      });

      it('does not change the template or the sample when rendering', function () {
        const before = JSON.stringify(cardTemplates[entry.name]);
        const sample = JSON.stringify(entry.sample);
        entry.render(entry.sample);
        assert.equal(JSON.stringify(cardTemplates[entry.name]), before);
        assert.equal(JSON.stringify(entry.sample), sample);
      });
    });
  }

  it('templates that fill a chat use the full message width in Teams', function () {
    for (const name of ['broadcast-standard', 'broadcast-hero', 'broadcast-compact', 'calendar-reminder', 'event-change', 'image-card'] as const) {
      assert.deepEqual(loadTemplate(name).msteams, { width: 'Full' }, name);
    }
  });
});
