/**
 * The Änderungen sheet of the Umsetzungsbericht: status changes against the previous closed cycle, then the
 * changes to measures recorded in the period (with the decision that caused them), and a note that sums up.
 */
import { DEFAULT_VOCABULARY, type PlanVocabulary } from '../../framework/plans.service.js';
import { type EntityManager, In } from 'typeorm';
import { STATUS_KEY_LABELS, type StatusKey } from '../../dashboard/dashboard.service.js';
import { MeasureChange, MEASURE_CHANGE_LABELS } from '../../measures/measure-change.entity.js';
import { measureCodesAsOf } from '../../framework/revisions/codes-as-of.js';
import { Measure } from '../../measures/measure.entity.js';
import type { ReportingCycle } from '../../reporting/reporting-cycle.entity.js';
import { dativePlural } from '../../web/format.js';
import type { ChangeCollector } from '../report-summary.js';
import { addStatusFormatting, addTableSheet, NOTE_FONT } from '../workbook-style.js';
import type { ReportWorkbook } from './report-labels.js';

/** One row of the Änderungen table: a status change against the previous cycle, or a recorded change. */
export interface ChangeRow {
  code: string;
  title: string;
  change: string;
  /** Status keys of a status change; null for a recorded change to the measure. */
  from: StatusKey | null;
  to: StatusKey | null;
  fromProgress: number | null;
  toProgress: number | null;
  reason: string;
  summary: string;
}

export interface ChangeRows {
  /** The status changes first, then the recorded changes. */
  rows: ChangeRow[];
  statusChanges: number;
  /** The sentence that sums them up. */
  note: string;
}

const CHANGE_LABELS = {
  up: 'Status verbessert',
  down: 'Status verschlechtert',
  new: 'neu im Bericht',
  discontinued: 'eingestellt',
};

/**
 * Status changes against the previous closed cycle, then the changes to measures recorded in the period.
 * `changes` is null when there is no closed cycle before this one to compare with (`sinceCycleCode`);
 * `titles` are the measure titles as listed in the report.
 */
export async function changeRows(
  manager: EntityManager,
  cycle: ReportingCycle,
  changes: ChangeCollector | null,
  sinceCycleCode: string | null,
  titles: Map<number, string>,
  asOf: Date,
  /** "veröffentlichten" for the documents, which compare only with published cycles. */
  kind: 'abgeschlossenen' | 'veröffentlichten' = 'abgeschlossenen',
  words: PlanVocabulary = DEFAULT_VOCABULARY,
): Promise<ChangeRows> {
  const items = changes?.items ?? [];
  const rows: ChangeRow[] = items.map((item) => ({
    code: item.code,
    title: titles.get(item.measureId) ?? '',
    change: CHANGE_LABELS[item.change],
    from: item.from,
    to: item.to,
    fromProgress: item.fromProgress,
    toProgress: item.toProgress,
    reason: '',
    summary: '',
  }));
  const recorded = await manager
    .createQueryBuilder(MeasureChange, 'c')
    .innerJoin(Measure, 'm', 'm.id = c.measureId')
    .where('m.frameworkId = :frameworkId', { frameworkId: cycle.frameworkId })
    .andWhere('c.createdAt >= :from AND c.createdAt <= :asOf', {
      from: new Date(`${cycle.periodStart}T00:00:00Z`),
      asOf,
    })
    .orderBy('c.id', 'ASC')
    .getMany();
  const measures = new Map(
    recorded.length
      ? (
          await manager.find(Measure, {
            where: { id: In([...new Set(recorded.map((c) => c.measureId))]) },
            select: { id: true, code: true, title: true },
          })
        ).map((m) => [m.id, m])
      : [],
  );
  const codes = await measureCodesAsOf(manager, [...measures.keys()], asOf);
  for (const change of recorded) {
    rows.push({
      code: codes.get(change.measureId) ?? '',
      title: titles.get(change.measureId) ?? measures.get(change.measureId)?.title ?? '',
      change: `${words.measure} ${MEASURE_CHANGE_LABELS[change.kind]}`,
      from: null,
      to: null,
      fromProgress: null,
      toProgress: null,
      reason: change.reason,
      summary: change.summary,
    });
  }
  const note =
    changes && sinceCycleCode
      ? `Statusveränderungen gegenüber dem ${kind} Berichtszyklus ${sinceCycleCode}: ${changes.count('up')} verbessert, ${changes.count('down')} verschlechtert, ${changes.count('new')} neu, ${changes.count('discontinued')} eingestellt. Dazu ${recorded.length} beschlossene oder erfasste Änderung(en) an ${dativePlural(words.measures)}.`
      : `Es gibt keinen früheren ${kind} Berichtszyklus zum Vergleich. ${recorded.length} erfasste Änderung(en) an ${dativePlural(words.measures)}.`;
  return { rows, statusChanges: items.length, note };
}

export function writeChangesSheet(
  workbook: ReportWorkbook,
  changes: ChangeRows,
  words: PlanVocabulary = DEFAULT_VOCABULARY,
): void {
  const sheet = addTableSheet(workbook, 'Änderungen', [
    { header: 'Code', key: 'code', width: 10 },
    { header: words.measure, key: 'title', width: 44 },
    { header: 'Veränderung', key: 'change', width: 18 },
    { header: 'Status vorher', key: 'from', width: 15 },
    { header: 'Status jetzt', key: 'to', width: 15 },
    { header: 'Fortschritt vorher (%)', key: 'fromProgress', width: 13 },
    { header: 'Fortschritt jetzt (%)', key: 'toProgress', width: 13 },
    { header: 'Grund / Beschluss', key: 'reason', width: 60 },
    { header: 'Einzelheiten', key: 'summary', width: 40 },
  ]);
  for (const [index, row] of changes.rows.entries()) {
    const status = index < changes.statusChanges;
    sheet
      .addRow({
        code: row.code,
        title: row.title,
        change: row.change,
        ...(status
          ? {
              from: row.from ? STATUS_KEY_LABELS[row.from] : '–',
              to: row.to ? STATUS_KEY_LABELS[row.to] : '',
              fromProgress: row.fromProgress,
              toProgress: row.toProgress,
            }
          : { reason: row.reason, summary: row.summary }),
      })
      .commit();
  }
  const note = sheet.addRow([changes.note]);
  note.font = NOTE_FONT;
  note.commit();
  addStatusFormatting(sheet, `D2:E${Math.max(2, changes.statusChanges + 1)}`);
  sheet.commit();
}
