import { badRequest, type TenantScope } from '@teamspro/core';
import type { Router } from 'express';
import type { Page, RecipientRow as RecipientView } from './contract.js';
import { recipientKeys } from '../domain/keys.js';
import { mapLimit } from '../domain/parallel.js';
import { buttonLabels, recipientView, reportFrom } from '../domain/report.js';
import { reportWorkbook } from '../domain/report-workbook.js';
import type { Services } from '../services.js';
import { messageIdOf, type RecipientRow } from '../store/recipient-store.js';
import { messageView, requireMessage } from './message-view.js';
import { callerOf, param } from './scope.js';

const statusFilters: Record<string, string> = {
  queued: "status eq 'queued' or status eq 'sending'",
  sent: "status eq 'sent'",
  failed: "status eq 'failed'",
};

async function withFeedback(s: Services, scope: TenantScope, messageId: string, rows: RecipientRow[], labels: string[]): Promise<RecipientView[]> {
  return mapLimit(rows, 16, async (r) => {
    const feedback = r.kind === 'user' && r.aadId ? await s.feedback.get(scope, messageId, recipientKeys.user(r.aadId)) : undefined;
    return recipientView(r.rowKey, r, labels, feedback);
  });
}

async function buildReport(s: Services, scope: TenantScope, id: string) {
  const row = await requireMessage(s, scope, id);
  const [message, totals, feedback, problems] = await Promise.all([messageView(s, scope, row), s.counters.totals(scope, id), s.feedback.list(scope, id), s.problems.list(scope, id)]);
  return { report: reportFrom(message, totals, feedback, problems), feedback, labels: buttonLabels(message) };
}

export function reportRoutes(router: Router, s: Services) {
  router.get('/messages/:id/report', async (req, res) => {
    const { scope } = callerOf(res);
    res.json((await buildReport(s, scope, param(req.params.id))).report);
  });

  router.get('/messages/:id/recipients', async (req, res) => {
    const { scope } = callerOf(res);
    const id = param(req.params.id);
    const message = await requireMessage(s, scope, id);
    const status = typeof req.query.status === 'string' && req.query.status ? req.query.status : undefined;
    if (status && !statusFilters[status]) throw badRequest('status must be queued, sent or failed.');
    const limit = Math.min(500, Math.max(1, Number(req.query.limit ?? 100) || 100));
    let after: { partition: string; rowKey: string } | undefined;
    if (typeof req.query.cursor === 'string' && req.query.cursor) {
      // the last row of the previous page: its shard partition and key
      const [partition, rowKey] = Buffer.from(req.query.cursor, 'base64url').toString('utf8').split('\n');
      if (!partition || !rowKey || messageIdOf({ partition }) !== id) throw badRequest('cursor is not one this API gave out.');
      after = { partition, rowKey };
    }
    const rows: RecipientRow[] = [];
    let more = false;
    for await (const row of s.recipients.list(scope, id, status ? statusFilters[status] : undefined, after)) {
      if (rows.length === limit) { more = true; break; }
      rows.push(row);
    }
    const page: Page<RecipientView> = {
      items: await withFeedback(s, scope, id, rows, buttonLabels(message)),
      ...(more ? { cursor: Buffer.from(`${rows[rows.length - 1]!.partition}\n${rows[rows.length - 1]!.rowKey}`, 'utf8').toString('base64url') } : {}),
    };
    res.json(page);
  });

  router.get('/messages/:id/export.xlsx', async (req, res) => {
    const { scope } = callerOf(res);
    const id = param(req.params.id);
    const { report, feedback, labels } = await buildReport(s, scope, id);
    const recipients = await withFeedback(s, scope, id, await s.recipients.listAll(scope, id), labels);
    const file = await reportWorkbook(report, recipients, feedback);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="message-${id}-report.xlsx"`);
    res.send(file);
  });
}
