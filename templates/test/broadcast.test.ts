import assert from 'node:assert/strict';
import {
  BROADCAST_VERBS,
  CardDataError,
  MAX_BROADCAST_LINKS,
  REACTIONS,
  loadTemplate,
  parseFeedbackSubmission,
  renderBroadcastCard,
  renderFeedbackConfirmationCard,
  validateCard,
  type BroadcastCardData,
  type BroadcastLayout,
} from '../src/index.js';
import { allText, findAll, ofType, richText, type JsonObject } from './helpers.js';

const recipient = '29:1f0c4b7e-5d2a-4f6b-9c1e-2a3b4c5d6e7f';

function message(overrides: Partial<BroadcastCardData> = {}): BroadcastCardData {
  return {
    messageId: 'msg-42',
    title: 'Office move',
    summary: 'We move on Monday.',
    body: 'Boxes arrive **Friday**.',
    author: 'Facilities',
    links: [
      { title: 'Floor plan', url: 'https://cc.example.com/r/msg-42/0?u=abc' },
      { title: 'FAQ', url: 'https://cc.example.com/r/msg-42/1?u=abc' },
    ],
    feedback: { reactions: true, acknowledge: true, rating: true, comment: true },
    refreshUserIds: [recipient],
    ...overrides,
  };
}

const executes = (card: unknown) => findAll(card, ofType('Action.Execute'));
const dataOf = (action: JsonObject) => action.data as JsonObject;

describe('templates: broadcast card', function () {
  describe('with every feedback option', function () {
    const card = renderBroadcastCard('standard', message());

    it('offers the four reactions and acknowledge as feedback actions that carry the message id', function () {
      const feedback = executes(card).filter((action) => action.verb === BROADCAST_VERBS.feedback);
      const reactions = feedback.filter((action) => dataOf(action).kind === 'reaction');
      assert.deepEqual(reactions.map((action) => dataOf(action).reaction), [...REACTIONS]);
      for (const action of feedback) assert.equal(dataOf(action).messageId, 'msg-42');
      // Reactions and acknowledge must not submit a half-filled rating or comment with them.
      for (const action of [...reactions, ...feedback.filter((a) => dataOf(a).kind === 'acknowledge')]) {
        assert.equal(action.associatedInputs, 'none');
      }
      assert.equal(feedback.filter((action) => dataOf(action).kind === 'acknowledge').length, 1);
    });

    it('has a 1–5 rating choice set and a comment box submitted together', function () {
      const [rating] = findAll(card, ofType('Input.ChoiceSet'));
      assert.equal(rating?.id, 'rating');
      assert.deepEqual((rating!.choices as JsonObject[]).map((choice) => choice.value), ['1', '2', '3', '4', '5']);
      const [comment] = findAll(card, ofType('Input.Text'));
      assert.equal(comment?.id, 'comment');
      assert.equal(comment?.isMultiline, true);
      const [submit] = executes(card).filter((action) => dataOf(action).kind === 'response');
      assert.equal(submit?.verb, 'feedback');
      assert.notEqual(submit?.associatedInputs, 'none');
    });

    it('asks Teams to refresh on view for the given users, with the read verb', function () {
      const refresh = card.refresh as JsonObject;
      assert.deepEqual(refresh.userIds, [recipient]);
      const action = refresh.action as JsonObject;
      assert.equal(action.type, 'Action.Execute');
      assert.equal(action.verb, BROADCAST_VERBS.read);
      assert.deepEqual(action.data, { messageId: 'msg-42' });
    });

    it('turns each link into an OpenUrl button that goes to its tracking URL, in order', function () {
      const buttons = card.actions as JsonObject[];
      assert.deepEqual(
        buttons.map((b) => [b.type, b.title, b.url]),
        [
          ['Action.OpenUrl', 'Floor plan', 'https://cc.example.com/r/msg-42/0?u=abc'],
          ['Action.OpenUrl', 'FAQ', 'https://cc.example.com/r/msg-42/1?u=abc'],
        ],
      );
    });

    it('keeps the body as markdown and shows no answer yet', function () {
      const [body] = findAll(card, (node) => node.type === 'TextBlock' && node.text === 'Boxes arrive **Friday**.');
      assert.ok(body, 'body TextBlock');
      assert.equal(findAll(card, (node) => node.id === 'answer').length, 0);
    });
  });

  it('has no refresh, feedback or buttons when none are asked for', function () {
    const card = renderBroadcastCard('standard', message({ feedback: undefined, refreshUserIds: [], links: [] }));
    assert.equal(card.refresh, undefined);
    assert.deepEqual(executes(card), []);
    assert.deepEqual(findAll(card, (node) => String(node.type).startsWith('Input.')), []);
    assert.deepEqual(validateCard(card).errors, []);
  });

  it('offers only the feedback options that were chosen', function () {
    const card = renderBroadcastCard('standard', message({ feedback: { rating: true } }));
    const feedback = executes(card).filter((action) => action.verb === 'feedback');
    assert.deepEqual(feedback.map((action) => dataOf(action).kind), ['response']);
    assert.equal(findAll(card, ofType('Input.Text')).length, 0);
    assert.equal(findAll(card, ofType('Input.ChoiceSet')).length, 1);
  });

  describe('once the recipient has answered', function () {
    const answer = { reaction: 'insightful', rating: 2, comment: 'Parking is not covered.', recordedAt: '2024-05-02T07:30:12.345+02:00' } as const;
    const card = renderBroadcastCard('standard', message({ answer }));

    it('shows the recorded answer', function () {
      const [section] = findAll(card, (node) => node.id === 'answer');
      assert.ok(section, 'answer section');
      const text = allText(section);
      assert.match(text, /Your answer/);
      assert.match(text, /💡 Insightful/);
      assert.match(text, /★★☆☆☆\s+2\/5/);
      assert.match(text, /Parking is not covered\./);
      // Teams formats DATE()/TIME() in the reader's own locale and time zone; the instant is converted to UTC.
      assert.match(text, /\{\{DATE\(2024-05-02T05:30:12Z, SHORT\)\}\} \{\{TIME\(2024-05-02T05:30:12Z\)\}\}/);
    });

    it('hides the controls already used and keeps the others', function () {
      const kinds = executes(card).filter((a) => a.verb === 'feedback').map((action) => dataOf(action).kind);
      assert.deepEqual(kinds, ['acknowledge']);
      assert.equal(findAll(card, (node) => String(node.type).startsWith('Input.')).length, 0);
      assert.deepEqual(validateCard(card).errors, []);
    });

    it('keeps the refresh so later views still update', function () {
      assert.deepEqual((card.refresh as JsonObject).userIds, [recipient]);
    });

    it('hides the whole feedback section when everything is answered', function () {
      const done = renderBroadcastCard('standard', message({ answer: { ...answer, acknowledged: true } }));
      assert.equal(findAll(done, (node) => node.id === 'feedback').length, 0);
      assert.match(allText(done), /Acknowledged/);
    });
  });

  it('thanks the recipient with what was recorded', function () {
    const card = renderFeedbackConfirmationCard({ messageTitle: 'Office move', answer: { rating: 5, acknowledged: true }, locale: 'fr' });
    const text = allText(card);
    assert.match(text, /Merci/);
    assert.match(text, /Office move/);
    assert.match(text, /★★★★★\s+5\/5/);
    assert.match(text, /Lu et compris/);
    assert.throws(() => renderFeedbackConfirmationCard({ messageTitle: 'x', answer: {} }), CardDataError);
  });

  describe('layouts', function () {
    const layouts: BroadcastLayout[] = ['standard', 'hero', 'compact'];
    const image = { url: 'https://cc.example.com/img/1.png', altText: 'Moving boxes' };

    it('hero starts with the full-width image', function () {
      const card = renderBroadcastCard('hero', message({ image }));
      const first = (card.body as JsonObject[])[0]!;
      assert.deepEqual([first.type, first.url, first.altText, first.size], ['Image', image.url, image.altText, 'Stretch']);
    });

    it('compact shows a thumbnail and reveals the body on demand', function () {
      const card = renderBroadcastCard('compact', message({ image }));
      const [thumbnail] = findAll(card, ofType('Image'));
      assert.equal(thumbnail?.size, 'Medium');
      const [body] = findAll(card, (node) => node.id === 'body');
      assert.equal(body?.isVisible, false);
      const [toggle] = findAll(card, ofType('Action.ToggleVisibility'));
      assert.deepEqual(toggle?.targetElements, ['body']);
    });

    it('falls back to the title as alt text rather than leaving the image unlabelled', function () {
      const card = renderBroadcastCard('standard', message({ image: { url: image.url } }));
      assert.equal(findAll(card, ofType('Image'))[0]?.altText, 'Office move');
    });

    it('share the same refresh, feedback, answer and link parts', function () {
      const part = (layout: BroadcastLayout, id: string) =>
        findAll(loadTemplate(`broadcast-${layout}`), (node) => node.id === id);
      for (const layout of layouts) {
        const template = loadTemplate(`broadcast-${layout}`);
        const reference = loadTemplate('broadcast-standard');
        assert.deepEqual(template.refresh, reference.refresh, `${layout} refresh`);
        assert.deepEqual(template.actions, reference.actions, `${layout} actions`);
        assert.deepEqual(part(layout, 'feedback'), part('standard', 'feedback'), `${layout} feedback`);
        assert.deepEqual(part(layout, 'answer'), part('standard', 'answer'), `${layout} answer`);
      }
    });

    it('every layout renders the same message validly', function () {
      for (const layout of layouts) {
        const card = renderBroadcastCard(layout, message({ image, answer: { reaction: 'like' } }));
        assert.deepEqual(validateCard(card).errors, [], layout);
        assert.match(allText(card), /Office move/);
      }
      assert.throws(() => renderBroadcastCard('poster' as BroadcastLayout, message()), CardDataError);
    });
  });

  describe('rejects data Teams would mishandle', function () {
    it(`more than ${MAX_BROADCAST_LINKS} links`, function () {
      const links = Array.from({ length: MAX_BROADCAST_LINKS + 1 }, (_, i) => ({ title: `L${i}`, url: `https://cc.example.com/r/${i}` }));
      assert.throws(() => renderBroadcastCard('standard', message({ links })), /links: holds 7 items; at most 6/);
      assert.doesNotThrow(() => renderBroadcastCard('standard', message({ links: links.slice(0, MAX_BROADCAST_LINKS) })));
    });

    it('more than 60 refresh users', function () {
      const refreshUserIds = Array.from({ length: 61 }, (_, i) => `29:user-${i}`);
      assert.throws(() => renderBroadcastCard('standard', message({ refreshUserIds })), /refreshUserIds/);
    });

    it('links and images that are not http(s)', function () {
      for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', '/relative', 'not a url']) {
        assert.throws(() => renderBroadcastCard('standard', message({ links: [{ title: 'x', url }] })), CardDataError, url);
        assert.throws(() => renderBroadcastCard('standard', message({ image: { url, altText: 'x' } })), CardDataError, url);
      }
    });

    it('a missing title or message id, and an unknown reaction or rating', function () {
      assert.throws(() => renderBroadcastCard('standard', message({ title: '  ' })), /title: must not be empty/);
      assert.throws(() => renderBroadcastCard('standard', { ...message(), messageId: undefined } as never), /messageId: is required/);
      assert.throws(() => renderBroadcastCard('standard', message({ answer: { reaction: 'angry' as never } })), /answer.reaction/);
      assert.throws(() => renderBroadcastCard('standard', message({ answer: { rating: 6 } })), /answer.rating/);
    });
  });

  describe('parseFeedbackSubmission', function () {
    it('accepts what the card sends', function () {
      assert.deepEqual(parseFeedbackSubmission({ messageId: 'm', kind: 'reaction', reaction: 'curious' }), { messageId: 'm', kind: 'reaction', reaction: 'curious' });
      assert.deepEqual(parseFeedbackSubmission({ messageId: 'm', kind: 'acknowledge' }), { messageId: 'm', kind: 'acknowledge' });
      // Teams sends input values as strings.
      assert.deepEqual(parseFeedbackSubmission({ messageId: 'm', kind: 'response', rating: '4', comment: ' Good\r\nread ' }), {
        messageId: 'm',
        kind: 'response',
        rating: 4,
        comment: 'Good\nread',
      });
      assert.deepEqual(parseFeedbackSubmission({ messageId: 'm', kind: 'response', rating: '', comment: 'only words' }), {
        messageId: 'm',
        kind: 'response',
        comment: 'only words',
      });
    });

    it('refuses anything the card could not have sent', function () {
      for (const data of [
        null,
        { kind: 'acknowledge' },
        { messageId: 'm' },
        { messageId: 'm', kind: 'vote' },
        { messageId: 'm', kind: 'reaction', reaction: 'angry' },
        { messageId: 'm', kind: 'reaction' },
        { messageId: 'm', kind: 'response', rating: '0' },
        { messageId: 'm', kind: 'response', rating: '2.5' },
        { messageId: 'm', kind: 'response' },
        { messageId: 'm', kind: 'response', comment: 'x'.repeat(1001) },
        { messageId: { $gt: '' }, kind: 'acknowledge' },
      ]) {
        assert.throws(() => parseFeedbackSubmission(data), CardDataError, JSON.stringify(data));
      }
    });
  });

  it('the refresh and feedback data match what the card template sends', function () {
    const card = renderBroadcastCard('standard', message());
    for (const action of executes(card).filter((a) => a.verb === 'feedback' && dataOf(a).kind !== 'response')) {
      assert.doesNotThrow(() => parseFeedbackSubmission(action.data), JSON.stringify(action.data));
    }
    const [submit] = executes(card).filter((action) => dataOf(action).kind === 'response');
    assert.doesNotThrow(() => parseFeedbackSubmission({ ...dataOf(submit!), rating: '3', comment: '' }));
    assert.match(richText(findAll(card, ofType('RichTextBlock')).at(-1)!), /From Facilities/);
  });
});
