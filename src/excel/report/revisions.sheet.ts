/**
 * The Fortschreibung sheet of the Umsetzungsbericht: the revisions of the framework that took effect in the
 * reporting period (and were recorded by the report's cut-off), one row per change, with date and reason.
 * Only written when there are any.
 */
import type { FrameworkRevision } from '../../framework/revisions/framework-revision.entity.js';
import { addTableSheet, DATE_FORMAT, excelDate } from '../workbook-style.js';
import type { ReportWorkbook } from './report-labels.js';

export const REVISIONS_SHEET = 'Fortschreibung';

/** One change of a revision that took effect in the period. */
export interface RevisionRow {
  /** ISO date. */
  date: string;
  version: string;
  change: string;
  reason: string;
}

export function revisionRows(revisions: FrameworkRevision[]): RevisionRow[] {
  return revisions.flatMap((revision) =>
    (revision.effects.lines.length ? revision.effects.lines : ['Versionsbezeichnung geändert']).map(
      (line) => ({
        date: revision.effectiveDate,
        version: `${revision.versionBefore} → ${revision.versionAfter}`,
        change: line,
        reason: revision.reason,
      }),
    ),
  );
}

export function writeRevisionsSheet(workbook: ReportWorkbook, rows: RevisionRow[]): void {
  const sheet = addTableSheet(workbook, REVISIONS_SHEET, [
    {
      header: 'Gültig ab',
      key: 'date',
      width: 12,
      style: { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } },
    },
    { header: 'Version', key: 'version', width: 26 },
    { header: 'Änderung', key: 'change', width: 70 },
    { header: 'Begründung', key: 'reason', width: 50 },
  ]);
  for (const row of rows) sheet.addRow({ ...row, date: excelDate(row.date) }).commit();
  sheet.commit();
}
