import assert from 'node:assert/strict';
import { TokenSigner } from '../src/http/signed-token.js';

describe('signed tokens', function () {
  const key = 'k'.repeat(32);

  it('round-trips values and refuses altered, truncated or foreign-key tokens', function () {
    const signer = new TokenSigner(key);
    const token = signer.sign(['tenant', 'item', 3]);
    assert.match(token, /^[\w-]+\.[\w-]+$/);
    assert.deepEqual(signer.verify(token), ['tenant', 'item', 3]);
    assert.equal(new TokenSigner('x'.repeat(32)).verify(token), undefined);
    assert.equal(signer.verify(token.slice(0, -1)), undefined);
    assert.equal(signer.verify(`${token}.extra`), undefined);
    assert.equal(signer.verify(token.replace(/^./, (c) => (c === 'W' ? 'X' : 'W'))), undefined);
  });

  it('keeps purposes apart: same key, but a token verifies only for the purpose it was signed for', function () {
    const plain = new TokenSigner(key);
    const images = plain.forPurpose('img');
    const other = plain.forPurpose('doc');
    const token = images.sign(['t', 'i']);
    assert.deepEqual(images.verify(token), ['t', 'i']);
    assert.deepEqual(new TokenSigner(key).forPurpose('img').verify(token), ['t', 'i'], 'any instance with the key');
    assert.equal(plain.verify(token), undefined);
    assert.equal(other.verify(token), undefined);
    assert.equal(images.verify(plain.sign(['t', 'i'])), undefined);
    assert.throws(() => plain.forPurpose('a.b'), /purpose/);
  });

  it('takes the key from the environment, refusing a short one, and requires one in production', function () {
    assert.throws(() => TokenSigner.fromEnvironment('short', false), /at least 32/);
    assert.throws(() => TokenSigner.fromEnvironment(undefined, true, 'SOME_UNSET_SIGNING_KEY'), /SOME_UNSET_SIGNING_KEY is required/);
    const a = TokenSigner.fromEnvironment(undefined, false, 'SOME_UNSET_SIGNING_KEY');
    const b = TokenSigner.fromEnvironment(undefined, false, 'SOME_UNSET_SIGNING_KEY');
    assert.equal(b.verify(a.sign(['x'])), undefined, 'without a key, each process gets its own random one');
    assert.deepEqual(TokenSigner.fromEnvironment(key, true).verify(new TokenSigner(key).sign(['x'])), ['x']);
  });
});
