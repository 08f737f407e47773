import assert from 'node:assert/strict';
import {
  TEAMS_MAX_ACTIONS,
  TEAMS_MESSAGE_SIZE_LIMIT_BYTES,
  renderBroadcastCard,
  validateCard,
} from '../src/index.js';

function card(extra: Record<string, unknown> = {}) {
  return { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Hello', wrap: true }], ...extra };
}

const openUrl = (i: number) => ({ type: 'Action.OpenUrl', title: `Link ${i}`, url: `https://example.com/${i}` });

describe('templates: validateCard', function () {
  it('accepts a plain 1.5 card and reports its UTF-8 size', function () {
    const plain = card({ body: [{ type: 'TextBlock', text: 'Été à Zürich 🎉' }] });
    const result = validateCard(plain);
    assert.deepEqual(result, { ok: true, errors: [], bytes: Buffer.byteLength(JSON.stringify(plain)) });
    // Accented letters and the emoji take more than one byte each.
    assert.ok(result.bytes > JSON.stringify(plain).length);
  });

  it('reports a card over the Teams message size limit', function () {
    const big = card({ body: Array.from({ length: 400 }, (_, i) => ({ type: 'TextBlock', text: `Paragraph ${i} `.padEnd(80, '.'), wrap: true })) });
    const result = validateCard(big);
    assert.equal(result.ok, false);
    assert.ok(result.bytes > TEAMS_MESSAGE_SIZE_LIMIT_BYTES);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]!, new RegExp(`${result.bytes} bytes, over the ${TEAMS_MESSAGE_SIZE_LIMIT_BYTES}-byte`));
    assert.equal(validateCard(big, { limitBytes: result.bytes }).ok, true);
  });

  it('reports a rendered broadcast whose body is too long to send', function () {
    const body = 'Lorem ipsum dolor sit amet. '.repeat(1100);
    const rendered = renderBroadcastCard('standard', { messageId: 'm', title: 'Long read', body });
    const result = validateCard(rendered);
    assert.equal(result.ok, false);
    assert.ok(result.bytes > TEAMS_MESSAGE_SIZE_LIMIT_BYTES);
    assert.match(result.errors.join('\n'), /over the \d+-byte Teams message limit/);
  });

  it('reports an unknown element type', function () {
    const result = validateCard(card({ body: [{ type: 'TextBlock', text: 'ok' }, { type: 'Carousel3D', items: [] }] }));
    assert.equal(result.ok, false);
    assert.match(result.errors.join('\n'), /UnknownElementType: .*Carousel3D/);
  });

  it('reports an unknown action type', function () {
    const result = validateCard(card({ actions: [{ type: 'Action.Teleport', title: 'Go' }] }));
    assert.equal(result.ok, false);
    assert.match(result.errors.join('\n'), /UnknownActionType: .*Action\.Teleport/);
  });

  it('reports a version other than 1.5, and a malformed one from the parser too', function () {
    for (const version of ['1.6', '1.2', undefined, 1.5]) {
      const result = validateCard(card({ version }));
      assert.equal(result.ok, false, String(version));
      assert.match(result.errors[0]!, /version must be "1\.5"/);
    }
    const malformed = validateCard(card({ version: 'one.five' }));
    assert.match(malformed.errors.join('\n'), /Invalid version string "one\.five"/);
  });

  it('reports what the renderer finds wrong in elements', function () {
    const result = validateCard(
      card({
        body: [
          { type: 'Input.Text', id: 'same', label: 'A' },
          { type: 'Input.Text', id: 'same', label: 'B' },
          { type: 'Input.ChoiceSet', id: 'pick', label: 'C', choices: [] },
        ],
      }),
    );
    assert.equal(result.ok, false);
    const errors = result.errors.join('\n');
    assert.match(errors, /DuplicateId: Duplicate Id "same"/);
    assert.match(errors, /Input\.ChoiceSet must have at least one choice/);
  });

  it(`allows up to ${TEAMS_MAX_ACTIONS} card actions, as Teams shows, and reports more`, function () {
    const actions = Array.from({ length: TEAMS_MAX_ACTIONS + 1 }, (_, i) => openUrl(i));
    assert.deepEqual(validateCard(card({ actions: actions.slice(0, TEAMS_MAX_ACTIONS) })).errors, []);
    assert.match(validateCard(card({ actions })).errors.join('\n'), /TooManyActions/);
  });

  it('reports more refresh users than Teams refreshes for', function () {
    const refresh = (n: number) => ({
      action: { type: 'Action.Execute', verb: 'read' },
      userIds: Array.from({ length: n }, (_, i) => `29:user-${i}`),
    });
    assert.deepEqual(validateCard(card({ refresh: refresh(60) })).errors, []);
    assert.match(validateCard(card({ refresh: refresh(61) })).errors.join('\n'), /refresh\.userIds lists 61 users/);
  });

  it('reports things that are not Adaptive Cards', function () {
    assert.match(validateCard(card({ type: 'HeroCard' })).errors.join('\n'), /type must be "AdaptiveCard"/);
    for (const value of [null, 'card', [card()], 42]) {
      const result = validateCard(value);
      assert.equal(result.ok, false);
      assert.deepEqual(result.errors, ['card must be a JSON object']);
    }
    const circular: Record<string, unknown> = card();
    circular.self = circular;
    assert.match(validateCard(circular).errors[0]!, /cannot be serialized/);
  });

  it('gives the same answer every time for a card with a language', function () {
    // The renderer checks `lang` with a stateful /g regular expression that fails every second card unless reset.
    const withLang = card({ lang: 'fr' });
    for (let i = 0; i < 4; i++) assert.deepEqual(validateCard(withLang).errors, [], `run ${i}`);
  });
});
