import assert from 'node:assert/strict';
import { cardFor, cardRenderedAfresh } from '../src/domain/card.js';
import { ClickSigner } from '../src/domain/click-token.js';

describe('Company Communicator: the per-send card template', function () {
  const signer = new ClickSigner('k'.repeat(40));
  const links = { publicUrl: 'https://communicator.example.test/', signer, tenantId: '00000000-0000-0000-0000-0000000000001' };
  const message = {
    id: 'msg-1', layout: 'standard' as const, author: 'Megan "the editor" Bowen', feedback: { reactions: true, acknowledge: true, rating: true, comment: true },
    variants: [
      { locale: 'en-US', title: 'Store hours <script>alert(1)</script>', summary: 'Back\\slash and "quotes"', body: '**Bold** and a [link](https://x.example/?a=1&b=2)', links: [{ title: 'Details', url: 'https://x.example/d' }, { title: 'Map', url: 'https://x.example/m' }] },
      { locale: 'fr-FR', title: 'Horaires', body: 'Corps', links: [{ title: 'Détails', url: 'https://x.example/fr' }] },
    ],
  };

  it('gives every recipient exactly the card a fresh render gives: their links, refresh list and language', function () {
    const recipients = [
      { key: 'a', locale: 'en-US', refreshUserIds: ['29:a'] },
      { key: 'b', locale: 'fr-FR', refreshUserIds: ['29:b'] },
      { key: 'c~channel', locale: 'de-DE', refreshUserIds: ['29:one', '29:"two"', '29:three'] },
    ];
    for (const r of recipients) {
      const cached = cardFor(message, r, links).card;
      assert.deepEqual(cached, cardRenderedAfresh(message, r, links), r.key);
      assert.ok(!JSON.stringify(cached).includes('placeholder.invalid'), 'no placeholder is left');
    }
    // two recipients of one variant get different signed links
    const one = JSON.stringify(cardFor(message, recipients[0]!, links).card);
    const other = JSON.stringify(cardFor(message, { ...recipients[0]!, key: 'z' }, links).card);
    assert.notEqual(one, other);
  });

  it('renders an edited message (new variants) from its new content', function () {
    const r = { key: 'a', locale: 'en-US', refreshUserIds: ['29:a'] };
    const before = cardFor(message, r, links).card;
    const edited = { ...message, variants: [{ ...message.variants[0]!, title: 'New hours' }, message.variants[1]!] };
    const after = cardFor(edited, r, links).card;
    assert.notDeepEqual(after, before);
    assert.deepEqual(after, cardRenderedAfresh(edited, r, links));
  });
});
