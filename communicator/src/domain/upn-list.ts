import Papa from 'papaparse';
import ExcelJS from 'exceljs';

export type ParsedList = { upns: string[]; rejected: Array<{ row: number; value: string; reason: string }> };

export class ListFileError extends Error {}

const upnPattern = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const headerNames = new Set(['upn', 'userprincipalname', 'user principal name', 'email', 'e-mail', 'mail', 'emailaddress']);
const maxRows = 100_000;

/** Rows as [row number, cells]; the UPN column is the header that names one, else the first. */
function fromRows(rows: Array<[number, string[]]>): ParsedList {
  const nonEmpty = rows.filter(([, cells]) => cells.some((c) => c.trim() !== ''));
  if (nonEmpty.length > maxRows) throw new ListFileError(`the file has more than ${maxRows} rows`);
  let column = 0;
  let start = 0;
  const first = nonEmpty[0]?.[1].map((c) => c.trim().toLowerCase()) ?? [];
  const named = first.findIndex((c) => headerNames.has(c));
  if (named >= 0) {
    column = named;
    start = 1;
  } else if (first[0] && !first[0].includes('@') && nonEmpty.length > 1) {
    start = 1; // some other header, e.g. "Name"
  }
  const upns: string[] = [];
  const rejected: ParsedList['rejected'] = [];
  const firstRowOf = new Map<string, number>();
  for (const [row, cells] of nonEmpty.slice(start)) {
    const value = (cells[column] ?? '').trim();
    const shown = value.slice(0, 200);
    if (value === '') rejected.push({ row, value: shown, reason: `column ${column + 1} is empty` });
    else if (value.length > 256 || !upnPattern.test(value)) rejected.push({ row, value: shown, reason: 'not a user principal name (name@domain)' });
    else {
      const key = value.toLowerCase();
      const seen = firstRowOf.get(key);
      if (seen !== undefined) rejected.push({ row, value: shown, reason: `duplicate of row ${seen}` });
      else {
        firstRowOf.set(key, row);
        upns.push(key);
      }
    }
  }
  return { upns, rejected };
}

export function parseCsv(text: string): ParsedList {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  const rows: Array<[number, string[]]> = parsed.data.map((cells, i) => [i + 1, (cells ?? []).map((c) => String(c ?? ''))]);
  return fromRows(rows);
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('text' in value && typeof value.text === 'string') return value.text; // hyperlink
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return String(value.result ?? '');
    return '';
  }
  return String(value);
}

export async function parseXlsx(data: Buffer): Promise<ParsedList> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new ListFileError('the file is not a readable .xlsx workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ListFileError('the workbook has no worksheet');
  const rows: Array<[number, string[]]> = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows.push([row.number, values.map((v) => cellText(v as ExcelJS.CellValue))]);
  });
  return fromRows(rows);
}
