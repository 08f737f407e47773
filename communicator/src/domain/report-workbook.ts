import ExcelJS from 'exceljs';
import type { RecipientRow as RecipientView, Report } from '../api/contract.js';
import type { FeedbackRecord } from '../store/feedback-store.js';

/** The report as an .xlsx: Summary (the report's figures), Recipients (one row each), Feedback. */
export async function reportWorkbook(report: Report, recipients: RecipientView[], feedback: FeedbackRecord[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Company Communicator Pro';
  book.created = new Date();
  const { message, counts } = report;

  const summary = book.addWorksheet('Summary');
  summary.columns = [{ header: 'Metric', key: 'metric', width: 36 }, { header: 'Value', key: 'value', width: 48 }];
  const rows: Array<[string, string | number]> = [
    ['Title', message.variants[0]?.title ?? ''],
    ['Status', message.status],
    ['Sent at', message.sendAt ?? ''],
    ['Recipients', counts.recipients],
    ['Delivered', counts.sent],
    ['Failed', counts.failed],
    ['Queued', counts.queued],
    ['Retried', counts.retried],
    ['Read', counts.read],
    ['Read rate', report.readRate],
    ['Clicks', counts.clicks],
    ['Feedback', counts.feedback],
    ...Object.entries(report.clickRate).map(([button, r]): [string, number] => [`Click rate: ${button}`, r]),
    ...Object.entries(report.feedback.reactions).map(([reaction, n]): [string, number] => [`Reaction: ${reaction}`, n]),
    ['Acknowledged', report.feedback.acknowledged],
    ...Object.entries(report.feedback.ratings).map(([stars, n]): [string, number] => [`Rating ${stars}`, n]),
    ['Comments', report.feedback.comments.length],
  ];
  for (const [metric, value] of rows) summary.addRow({ metric, value });
  summary.getRow(1).font = { bold: true };

  const people = book.addWorksheet('Recipients');
  people.columns = [
    { header: 'Name', key: 'name', width: 28 }, { header: 'UPN', key: 'upn', width: 32 }, { header: 'Kind', key: 'kind', width: 10 },
    { header: 'Language', key: 'locale', width: 10 }, { header: 'Status', key: 'status', width: 10 }, { header: 'Failure reason', key: 'reason', width: 48 },
    { header: 'Retries', key: 'retries', width: 9 }, { header: 'Sent at', key: 'sentAt', width: 24 }, { header: 'Read at', key: 'readAt', width: 24 },
    { header: 'Viewers', key: 'viewers', width: 9 },
    { header: 'Clicks', key: 'clicks', width: 8 }, { header: 'Reaction', key: 'reaction', width: 12 }, { header: 'Acknowledged', key: 'ack', width: 13 },
    { header: 'Rating', key: 'rating', width: 8 }, { header: 'Comment', key: 'comment', width: 48 },
  ];
  for (const r of recipients) {
    people.addRow({
      name: r.name, upn: r.upn ?? '', kind: r.kind, locale: r.locale, status: r.status, reason: r.failureReason ?? '', retries: r.retries,
      sentAt: r.sentAt ?? '', readAt: r.readAt ?? '', viewers: r.viewers ?? '', clicks: Object.values(r.clicks).reduce((a, b) => a + b, 0),
      reaction: r.feedback?.reaction ?? '', ack: r.feedback?.acknowledged ? 'yes' : '', rating: r.feedback?.rating ?? '', comment: r.feedback?.comment ?? '',
    });
  }
  people.getRow(1).font = { bold: true };

  const answers = book.addWorksheet('Feedback');
  answers.columns = [
    { header: 'Name', key: 'name', width: 28 }, { header: 'Reaction', key: 'reaction', width: 12 }, { header: 'Acknowledged', key: 'ack', width: 13 },
    { header: 'Rating', key: 'rating', width: 8 }, { header: 'Comment', key: 'comment', width: 60 }, { header: 'At', key: 'at', width: 24 },
  ];
  for (const f of feedback) answers.addRow({ name: f.name, reaction: f.reaction ?? '', ack: f.acknowledged ? 'yes' : '', rating: f.rating ?? '', comment: f.comment ?? '', at: f.at });
  answers.getRow(1).font = { bold: true };

  return Buffer.from(await book.xlsx.writeBuffer());
}
