/**
 * The CSV form of a published cycle, as a German Excel opens it: UTF-8 with a byte order mark, `;` between
 * fields, CRLF between rows, one header row and one row per measure. The metadata (licence, publisher, plan,
 * period, publication date) stands in the last columns of every row, so that the file says where it comes
 * from on its own and still has no lines before its header. The columns "Hindernisse", "Nächste Schritte" and
 * "Budget (EUR)" are there only when the cycle (report texts) or the plan (budget) makes them public, as the
 * JSON's fields are. A text cell that a spreadsheet would take for a formula starts with an apostrophe.
 * The headers that name a part of the plan (Handlungsfeld, Ziele, Ressort) say the plan's words: a plan with
 * the Bremen words keeps the headers its consumers know; another plan's file reads as its pages do (the
 * JSON keeps its field names for every plan).
 */
import { DEFAULT_VOCABULARY, type PlanVocabulary } from '../framework/plans.service.js';
import { wordedIn } from '../excel/plan-words.js';
import type { PublicCycleData, PublicMeasure } from './public-reporting.service.js';

const BOM = '\uFEFF';

type Column = [header: string, value: (m: PublicMeasure) => string | number | null];

/** The columns every file has, with the headers in the plan's words. */
function columnsOf(words: PlanVocabulary): Column[] {
  return [
    ['Code', (m) => m.code],
    ['Titel', (m) => m.title],
    ['Beschreibung', (m) => m.description],
    [words.field, (m) => m.actionField.code],
    [`${words.field} (Titel)`, (m) => m.actionField.title],
    [words.goals, (m) => m.goals.map((g) => g.code).join(', ')],
    [
      wordedIn(words, 'Federführendes Ressort', `Federführung (${words.organisation})`),
      (m) => m.leadDepartment.title,
    ],
    [`Beteiligte ${words.organisations}`, (m) => m.participatingDepartments.map((d) => d.title).join(', ')],
    ['Ebene', (m) => m.levelLabel],
    ['Status', (m) => m.statusLabel],
    ['Fortschritt (%)', (m) => m.progress],
    ['Beginn', (m) => m.plannedStart],
    ['Ende', (m) => m.plannedEnd],
    ['Sachstand', (m) => m.summary],
  ];
}

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

/** The metadata columns' headers (the plan's name under "Rahmenkonzept" in the Bremen words). */
const metadataHeaders = (words: PlanVocabulary): string[] => [
  'Berichtszyklus',
  'Berichtszeitraum',
  wordedIn(words, 'Rahmenkonzept', 'Plan'),
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

export function publicCsv(data: PublicCycleData, words: PlanVocabulary = DEFAULT_VOCABULARY): string {
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
    ...columnsOf(words),
    ...OPTIONAL_COLUMNS.filter(([key]) => data.measures.some((m) => key in m)).map(
      ([, header, value]) => [header, value] as const,
    ),
    EXAMPLE_COLUMN,
  ];
  const rows = [
    [...columns.map(([header]) => header), ...metadataHeaders(words)],
    ...data.measures.map((m) => [...columns.map(([, value]) => value(m)), ...metadata]),
  ];
  return BOM + rows.map((row) => row.map(field).join(';')).join('\r\n') + '\r\n';
}
