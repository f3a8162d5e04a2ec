/**
 * The Fortschreibung sheet of the Umsetzungsbericht: the revisions of the framework that took effect in the
 * reporting period (and were recorded by the report's cut-off), one row per change, with date and reason.
 * Only written when there are any.
 */
import type { FrameworkRevision } from '../../framework/revisions/framework-revision.entity.js';
import { addTableSheet, DATE_FORMAT, excelDate } from '../workbook-style.js';
import type { ReportWorkbook } from './report-labels.js';

export const REVISIONS_SHEET = 'Fortschreibung';

export function writeRevisionsSheet(workbook: ReportWorkbook, revisions: FrameworkRevision[]): void {
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
  for (const revision of revisions) {
    const lines = revision.effects.lines.length ? revision.effects.lines : ['Versionsbezeichnung geändert'];
    for (const line of lines) {
      sheet
        .addRow({
          date: excelDate(revision.effectiveDate),
          version: `${revision.versionBefore} → ${revision.versionAfter}`,
          change: line,
          reason: revision.reason,
        })
        .commit();
    }
  }
  sheet.commit();
}
