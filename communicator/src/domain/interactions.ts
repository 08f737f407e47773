import type { TenantScope } from '@teamspro/core';
import type { FeedbackSubmission, RecordedFeedback } from '@teamspro/templates';
import type { Services } from '../services.js';
import type { FeedbackRecord } from '../store/feedback-store.js';
import { messageIdOf, recordOf, type RecipientRow } from '../store/recipient-store.js';
import { Counter } from './counts.js';

/**
 * What recipients do with a delivered card: open it (read), click a link, give feedback.
 * Each change is written with an ETag check, and the counters move only for the write that
 * made the change, so replays (a refresh on every view, a double click) count once.
 */
export class Interactions {
  constructor(private readonly s: Services) {}

  async markRead(scope: TenantScope, row: RecipientRow): Promise<void> {
    if (row.readAt) return;
    const written = await this.s.recipients.mutateRow(scope, row, (current) =>
      current && !current.readAt ? { ...recordOf(current), readAt: new Date().toISOString() } : undefined);
    if (written) await this.s.counters.add(scope, messageIdOf(row), row.rowKey, { [Counter.read]: 1 });
  }

  /**
   * Someone viewed a channel post (Teams refreshed its card for them, or they acted on it): their first
   * view is recorded with its time, the post's viewer count goes up by one, and the first viewer of all
   * makes the channel read. Later views by the same person change nothing.
   */
  async channelView(scope: TenantScope, row: RecipientRow, viewer: { aadId: string; name: string }): Promise<void> {
    if (!(await this.s.views.recordFirst(scope, messageIdOf(row), row.rowKey, viewer))) return;
    let firstRead = false;
    await this.s.recipients.mutateRow(scope, row, (current) => {
      if (!current) return undefined;
      firstRead = !current.readAt;
      return { ...recordOf(current), viewers: (current.viewers ?? 0) + 1, readAt: current.readAt ?? new Date().toISOString() };
    });
    if (firstRead) await this.s.counters.add(scope, messageIdOf(row), row.rowKey, { [Counter.read]: 1 });
  }

  async click(scope: TenantScope, messageId: string, recipientKey: string, button: number): Promise<void> {
    let first = false;
    const written = await this.s.recipients.mutate(scope, messageId, recipientKey, (current) => {
      if (!current) return undefined;
      const clicks = { ...(current.clicks ?? {}) };
      first = !clicks[String(button)];
      clicks[String(button)] = (clicks[String(button)] ?? 0) + 1;
      return { ...recordOf(current), clicks };
    });
    if (written) await this.s.counters.add(scope, messageId, recipientKey, { [Counter.clicks]: 1, [Counter.button(button)]: first ? 1 : 0 });
  }

  /** Stores one answer; a kind already answered keeps its first value (the card hides what was answered). */
  async feedback(scope: TenantScope, messageId: string, user: { key: string; name: string }, recipientKey: string, submission: FeedbackSubmission): Promise<FeedbackRecord | undefined> {
    let deltas: Record<string, number> = {};
    const written = await this.s.feedback.mutate(scope, messageId, user.key, (current) => {
      deltas = {};
      const base: FeedbackRecord = current ? { name: current.name, recipientKey: current.recipientKey, reaction: current.reaction, acknowledged: current.acknowledged, rating: current.rating, comment: current.comment, at: current.at }
        : { name: user.name, recipientKey, at: new Date().toISOString() };
      const next = { ...base };
      if (submission.kind === 'reaction' && !base.reaction) { next.reaction = submission.reaction; deltas[Counter.reaction(submission.reaction)] = 1; }
      if (submission.kind === 'acknowledge' && !base.acknowledged) { next.acknowledged = true; deltas[Counter.acknowledged] = 1; }
      if (submission.kind === 'response') {
        if (submission.rating !== undefined && base.rating === undefined) { next.rating = submission.rating; deltas[Counter.rating(submission.rating)] = 1; }
        if (submission.comment && !base.comment) { next.comment = submission.comment; deltas[Counter.comments] = 1; }
      }
      if (Object.keys(deltas).length === 0) return undefined;
      if (!current) deltas[Counter.feedback] = 1;
      next.at = new Date().toISOString();
      return next;
    });
    if (written) await this.s.counters.add(scope, messageId, user.key, deltas);
    return written ?? (await this.s.feedback.get(scope, messageId, user.key));
  }
}

export function answerOf(feedback: FeedbackRecord | undefined): RecordedFeedback | undefined {
  if (!feedback) return undefined;
  return {
    ...(feedback.reaction ? { reaction: feedback.reaction } : {}),
    ...(feedback.acknowledged ? { acknowledged: true } : {}),
    ...(feedback.rating ? { rating: feedback.rating } : {}),
    ...(feedback.comment ? { comment: feedback.comment } : {}),
    recordedAt: feedback.at,
  };
}
