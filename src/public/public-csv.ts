/**
 * The CSV form of a published cycle, as a German Excel opens it: UTF-8 with a byte order mark, `;` between
 * fields, CRLF between rows, one header row and one row per measure. The metadata (licence, publisher, plan,
 * period, publication date) stands in the last columns of every row, so that the file says where it comes
 * from on its own and still has no lines before its header. The columns "Hindernisse", "Nächste Schritte" and
 * "Budget (EUR)" are there only when the cycle (report texts) or the plan (budget) makes them public, as the
 * JSON's fields are. A text cell that a spreadsheet would take for a formula starts with an apostrophe.
 */
import type { PublicCycleData, PublicMeasure } from './public-reporting.service.js';

const BOM = '\uFEFF';

const COLUMNS: [header: string, value: (m: PublicMeasure) => string | number | null][] = [
  ['Code', (m) => m.code],
  ['Titel', (m) => m.title],
  ['Beschreibung', (m) => m.description],
  ['Handlungsfeld', (m) => m.actionField.code],
  ['Handlungsfeld (Titel)', (m) => m.actionField.title],
  ['Ziele', (m) => m.goals.map((g) => g.code).join(', ')],
  ['Federführendes Ressort', (m) => m.leadDepartment.title],
  ['Beteiligte Ressorts', (m) => m.participatingDepartments.map((d) => d.title).join(', ')],
  ['Ebene', (m) => m.levelLabel],
  ['Status', (m) => m.statusLabel],
  ['Fortschritt (%)', (m) => m.progress],
  ['Beginn', (m) => m.plannedStart],
  ['Ende', (m) => m.plannedEnd],
  ['Sachstand', (m) => m.summary],
];

/** Columns present only when the measures carry the field (see PublicMeasure). */
const OPTIONAL_COLUMNS: [
  key: keyof PublicMeasure,
  header: string,
  value: (m: PublicMeasure) => string | number | null,
][] = [
  ['obstacles', 'Hindernisse', (m) => m.obstacles ?? ''],
  ['nextSteps', 'Nächste Schritte', (m) => m.nextSteps ?? ''],
  // A German Excel reads a decimal comma.
  ['budget', 'Budget (EUR)', (m) => (m.budget == null ? '' : String(m.budget).replace('.', ','))],
];

const EXAMPLE_COLUMN: [string, (m: PublicMeasure) => string] = [
  'Beispieldaten',
  (m) => (m.isExample ? 'ja' : 'nein'),
];

const METADATA_HEADERS = [
  'Berichtszyklus',
  'Berichtszeitraum',
  'Rahmenkonzept',
  'Herausgeber',
  'Veröffentlicht am',
  'Lizenz',
  'Lizenz-URL',
];

/** What a spreadsheet would read as the start of a formula (also after a tab or carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A number written as text (the budget with its decimal comma): kept as it is, so that it stays a number. */
const NUMBER_TEXT = /^[-+]?\d+(?:,\d+)?$/;

function field(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  // A text a spreadsheet would run as a formula (=HYPERLINK(…), +, -, @) is marked as text by a leading
  // apostrophe, which the spreadsheet does not show.
  if (typeof value === 'string' && FORMULA_START.test(text) && !NUMBER_TEXT.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function publicCsv(data: PublicCycleData): string {
  const meta = data.metadata;
  const metadata = [
    meta.cycle.code,
    `${meta.cycle.periodStart} bis ${meta.cycle.periodEnd}`,
    `${meta.plan.name} (Fassung ${meta.plan.version})`,
    meta.publisher,
    meta.publishedAt.slice(0, 10),
    `${meta.licence.name} (${meta.licence.id})`,
    meta.licence.url,
  ];
  const columns = [
    ...COLUMNS,
    ...OPTIONAL_COLUMNS.filter(([key]) => data.measures.some((m) => key in m)).map(
      ([, header, value]) => [header, value] as const,
    ),
    EXAMPLE_COLUMN,
  ];
  const rows = [
    [...columns.map(([header]) => header), ...METADATA_HEADERS],
    ...data.measures.map((m) => [...columns.map(([, value]) => value(m)), ...metadata]),
  ];
  return BOM + rows.map((row) => row.map(field).join(';')).join('\r\n') + '\r\n';
}
