import assert from 'node:assert/strict';
import { ScheduleError, toInstant } from '../src/domain/schedule.js';
import { pickVariant } from '../src/domain/variants.js';
import { ClickSigner } from '../src/domain/click-token.js';

describe('Company Communicator: schedule times, language choice, click tokens', function () {
  it('turns a wall-clock time in a zone into the instant, across DST changes', function () {
    assert.equal(toInstant('2026-12-01T09:00', 'Europe/Paris').toISOString(), '2026-12-01T08:00:00.000Z');
    assert.equal(toInstant('2026-07-01T09:00:30', 'Europe/Paris').toISOString(), '2026-07-01T07:00:30.000Z');
    assert.equal(toInstant('2026-07-01T09:00', 'America/New_York').toISOString(), '2026-07-01T13:00:00.000Z');
    // 02:30 does not exist in Paris on 29 March 2026: it moves forward with the clocks
    assert.equal(toInstant('2026-03-29T02:30', 'Europe/Paris').toISOString(), '2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 25 October 2026: the first one
    assert.equal(toInstant('2026-10-25T02:30', 'Europe/Paris').toISOString(), '2026-10-25T00:30:00.000Z');
    assert.equal(toInstant('2026-12-01T09:00:00+01:00', undefined).toISOString(), '2026-12-01T08:00:00.000Z');
    for (const [sendAt, zone] of [['2026-12-01T09:00', undefined], ['2026-02-30T09:00', 'UTC'], ['tomorrow', 'UTC'], ['2026-12-01T09:00', 'Nowhere/City']] as const) {
      assert.throws(() => toInstant(sendAt, zone), ScheduleError, `${sendAt} ${zone}`);
    }
  });

  it('gives each recipient the variant of their language, else the first', function () {
    const variants = [{ locale: 'en-US' }, { locale: 'fr-FR' }, { locale: 'de' }].map((v) => ({ ...v, title: v.locale, body: '', links: [] }));
    assert.equal(pickVariant(variants, 'fr-FR').variant.locale, 'fr-FR');
    assert.equal(pickVariant(variants, 'fr-CA').variant.locale, 'fr-FR');
    assert.equal(pickVariant(variants, 'de-AT').index, 2);
    assert.equal(pickVariant(variants, 'ja-JP').variant.locale, 'en-US');
    assert.equal(pickVariant(variants, undefined).index, 0);
  });

  it('signs click tokens that cannot be altered, and refuses a weak key', function () {
    const signer = new ClickSigner('k'.repeat(32));
    const token = signer.sign({ tenantId: 't', messageId: 'm', recipientKey: 'r', variant: 1, button: 2 });
    assert.deepEqual(signer.verify(token), { tenantId: 't', messageId: 'm', recipientKey: 'r', variant: 1, button: 2 });
    assert.equal(new ClickSigner('x'.repeat(32)).verify(token), undefined, 'another key');
    assert.equal(signer.verify(token + 'a'), undefined);
    assert.equal(signer.verify(token.replace(/^./, (c) => (c === 'W' ? 'X' : 'W'))), undefined);
    assert.throws(() => ClickSigner.fromEnvironment('short', false), /32/);
    assert.throws(() => ClickSigner.fromEnvironment(undefined, true), /CLICK_SIGNING_KEY is required/);
  });
});
