/**
 * The CSV form of a published cycle, as a German Excel opens it: UTF-8 with a byte order mark, `;` between
 * fields, CRLF between rows, one header row and one row per measure. The metadata (licence, publisher, plan,
 * period, publication date) stands in the last columns of every row, so that the file says where it comes
 * from on its own and still has no lines before its header.
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
  ['Beispieldaten', (m) => (m.isExample ? 'ja' : 'nein')],
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

function field(value: string | number | null): string {
  const text = value === null ? '' : String(value);
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
  const rows = [
    [...COLUMNS.map(([header]) => header), ...METADATA_HEADERS],
    ...data.measures.map((m) => [...COLUMNS.map(([, value]) => value(m)), ...metadata]),
  ];
  return BOM + rows.map((row) => row.map(field).join(';')).join('\r\n') + '\r\n';
}
