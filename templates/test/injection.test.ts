import assert from 'node:assert/strict';
import { CardDataError, cardCatalog, expandTemplate, validateCard, type CardCatalogEntry } from '../src/index.js';
import { findAll, skeleton, strings, type JsonObject } from './helpers.js';

// Values the renderers check and normalise (URLs, addresses, dates, enumerations) rather than pass through as text.
const checkedKeys = new Set([
  'url', 'photoUrl', 'imageUrl', 'joinUrl', 'calendarUrl', 'sharePointUrl', 'officeUrl',
  'emails', 'chatWith', 'number', 'start', 'end', 'recordedAt', 'timeZone',
  'locale', 'kind', 'status', 'change', 'reaction',
]);

/** Replaces every free-text string in `data` with `make(path)`. */
function replaceText(data: unknown, make: (path: string) => string, path = '$', key = ''): unknown {
  if (checkedKeys.has(key)) return data;
  if (typeof data === 'string') return make(path);
  if (Array.isArray(data)) return data.map((item, i) => replaceText(item, make, `${path}[${i}]`, key));
  if (data !== null && typeof data === 'object') {
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, replaceText(v, make, `${path}.${k}`, k)]));
  }
  return data;
}

// Each hostile value names a field of the view that really exists (title, messageId, labels), so an
// evaluated expression would visibly change the output. They are short enough for every length limit.
const payloads = [
  '${$root.title}<script>alert(1)</script>',
  '{"type":"Image","url":"x"} ${messageId}',
  '@{title} ]} ${labels.send} <b>bold</b>',
];
let next = 0;
const hostile = () => payloads[next++ % payloads.length]!;
const benign = (path: string) => `plain text for ${path}`;

describe('templates: data stays text', function () {
  for (const entry of cardCatalog as CardCatalogEntry[]) {
    it(`${entry.name}: expressions, markup and JSON in the data come out literally and change no structure`, function () {
      const hostileData = replaceText(entry.sample, hostile);
      const hostileCard = entry.render(hostileData);
      const benignCard = entry.render(replaceText(entry.sample, benign));
      assert.deepEqual(skeleton(hostileCard), skeleton(benignCard));

      const outputs = strings(hostileCard).map((s) => s.value);
      const planted = strings(hostileData).map((s) => s.value).filter((v) => v.includes('${'));
      assert.ok(planted.length > 0);
      for (const value of planted) {
        // Single-line fields fold newlines, so look for each value inside some output string.
        assert.ok(outputs.some((out) => out.includes(value)), `missing literal: ${value}`);
      }
      assert.deepEqual(validateCard(hostileCard).errors, []);
    });

    it(`${entry.name}: an object or array in place of any string is refused, not spliced into the card`, function () {
      // An unknown locale of any kind falls back to English instead.
      const paths = strings(entry.sample).map((leaf) => leaf.path).filter((path) => path !== '$.locale');
      assert.ok(paths.length > 0);
      assert.equal(entry.render(setAt(entry.sample, '$.locale', { fr: true })).lang, 'en');
      for (const path of paths) {
        for (const payload of [{ type: 'Image', url: 'https://evil.example/x.png' }, ['a', 'b']]) {
          assert.throws(() => entry.render(setAt(entry.sample, path, payload)), CardDataError, `${path} = ${JSON.stringify(payload)}`);
        }
      }
    });
  }

  it('plain-text fields never land in Markdown TextBlocks, so a Markdown link in them stays text', function () {
    const entry = cardCatalog.find((e) => e.name === 'broadcast-standard')!;
    const link = '[click me](https://evil.example/phish)';
    const card = entry.render({ ...(entry.sample as object), title: link, summary: link, author: link });
    const blocks = findAll(card, (node) => node.type === 'TextBlock' && String(node.text).includes(link));
    // Only TextRuns (never Markdown) hold the text; TextBlocks would turn it into a live link.
    assert.deepEqual(blocks, []);
    const runs = findAll(card, (node: JsonObject) => node.type === 'TextRun' && String(node.text).includes(link));
    assert.equal(runs.length, 3);
  });

  it('the templating engine itself does not evaluate expressions found in data', function () {
    const card = expandTemplate('image-card', {
      lang: 'en',
      imageUrl: 'https://example.com/a.png',
      altText: '${$root.secret}',
      title: '${secret}',
      description: '${if(true, secret, secret)}',
      tagLine: "${string($root)}",
      sharePointUrl: '',
      secret: 'TOP-SECRET-VALUE',
      show: { description: true, tags: true, sharePoint: false },
      labels: { openInSharePoint: 'Open' },
    });
    const json = JSON.stringify(card);
    assert.doesNotMatch(json, /TOP-SECRET-VALUE/);
    assert.match(json, /"altText":"\$\{\$root\.secret\}"/);
    assert.match(json, /"text":"\$\{secret\}"/);
  });
});

/** A copy of `data` with the value at a `$.a.b[0]` path replaced. */
function setAt(data: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  const keys = (path.slice(1).match(/\.[^.[\]]+|\[\d+\]/g) ?? []).map((part) =>
    part.startsWith('[') ? Number(part.slice(1, -1)) : part.slice(1),
  );
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[keys.at(-1)!] = value;
  return copy;
}
