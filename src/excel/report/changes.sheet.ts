/**
 * The Änderungen sheet of the Umsetzungsbericht: status changes against the previous closed cycle, then the
 * changes to measures recorded in the period (with the decision that caused them), and a note that sums up.
 */
import { type EntityManager, In } from 'typeorm';
import { STATUS_KEY_LABELS } from '../../dashboard/dashboard.service.js';
import { MeasureChange, MEASURE_CHANGE_LABELS } from '../../measures/measure-change.entity.js';
import { measureCodesAsOf } from '../../framework/revisions/codes-as-of.js';
import { Measure } from '../../measures/measure.entity.js';
import type { ReportingCycle } from '../../reporting/reporting-cycle.entity.js';
import type { ChangeCollector } from '../report-summary.js';
import { addStatusFormatting, addTableSheet, NOTE_FONT } from '../workbook-style.js';
import type { ReportWorkbook } from './report-labels.js';

/**
 * `changes` is null when there is no closed cycle before this one to compare with (`sinceCycleCode`);
 * `titles` are the measure titles as written on the Maßnahmen sheet.
 */
export async function writeChangesSheet(
  workbook: ReportWorkbook,
  manager: EntityManager,
  cycle: ReportingCycle,
  changes: ChangeCollector | null,
  sinceCycleCode: string | null,
  titles: Map<number, string>,
  asOf: Date,
): Promise<void> {
  const sheet = addTableSheet(workbook, 'Änderungen', [
    { header: 'Code', key: 'code', width: 10 },
    { header: 'Maßnahme', key: 'title', width: 44 },
    { header: 'Veränderung', key: 'change', width: 18 },
    { header: 'Status vorher', key: 'from', width: 15 },
    { header: 'Status jetzt', key: 'to', width: 15 },
    { header: 'Fortschritt vorher (%)', key: 'fromProgress', width: 13 },
    { header: 'Fortschritt jetzt (%)', key: 'toProgress', width: 13 },
    { header: 'Grund / Beschluss', key: 'reason', width: 60 },
    { header: 'Einzelheiten', key: 'summary', width: 40 },
  ]);
  const labels = {
    up: 'Status verbessert',
    down: 'Status verschlechtert',
    new: 'neu im Bericht',
    discontinued: 'eingestellt',
  };
  const items = changes?.items ?? [];
  for (const item of items) {
    sheet
      .addRow({
        code: item.code,
        title: titles.get(item.measureId) ?? '',
        change: labels[item.change],
        from: item.from ? STATUS_KEY_LABELS[item.from] : '–',
        to: STATUS_KEY_LABELS[item.to],
        fromProgress: item.fromProgress,
        toProgress: item.toProgress,
      })
      .commit();
  }
  const recorded = await manager
    .createQueryBuilder(MeasureChange, 'c')
    .where('c.createdAt >= :from AND c.createdAt <= :asOf', {
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
    sheet
      .addRow({
        code: codes.get(change.measureId) ?? '',
        title: titles.get(change.measureId) ?? measures.get(change.measureId)?.title ?? '',
        change: `Maßnahme ${MEASURE_CHANGE_LABELS[change.kind]}`,
        reason: change.reason,
        summary: change.summary,
      })
      .commit();
  }
  const note = sheet.addRow([
    changes && sinceCycleCode
      ? `Statusveränderungen gegenüber dem abgeschlossenen Berichtszyklus ${sinceCycleCode}: ${changes.count('up')} verbessert, ${changes.count('down')} verschlechtert, ${changes.count('new')} neu, ${changes.count('discontinued')} eingestellt. Dazu ${recorded.length} beschlossene oder erfasste Änderung(en) an Maßnahmen.`
      : `Es gibt keinen früheren abgeschlossenen Berichtszyklus zum Vergleich. ${recorded.length} erfasste Änderung(en) an Maßnahmen.`,
  ]);
  note.font = NOTE_FONT;
  note.commit();
  addStatusFormatting(sheet, `D2:E${Math.max(2, items.length + 1)}`);
  sheet.commit();
}
