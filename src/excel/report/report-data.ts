/**
 * What every rendition of the Umsetzungsbericht (workbook, PDF, DOCX) is made of, gathered in one place so
 * that they cannot disagree: the cycle and its cut-off, the measure rows (counted and compared on their way
 * through, by report-summary.ts), and the rows of governance, indicators, changes and Fortschreibung. Each
 * rendition only lays these rows out.
 */
import type { StatusKey } from '../../dashboard/dashboard.service.js';
import type { Framework } from '../../framework/framework.entity.js';
import { isCounted, statusKeyOf } from '../../measures/measure-rules.js';
import type { CycleSnapshot } from '../../reporting/cycle-snapshot.entity.js';
import type { MeasureState } from '../../reporting/measure-state.reader.js';
import type { ReportingCycle } from '../../reporting/reporting-cycle.entity.js';
import type { ChangeCollector, ReportSummary, SummaryCounter } from '../report-summary.js';
import type { CadenceRow, MeetingRow, MemberRow } from './bodies.sheet.js';
import type { ChangeRows } from './changes.sheet.js';
import type { DecisionRow } from './decisions.sheet.js';
import type { IndicatorRow } from './indicators.sheet.js';
import type { RevisionRow } from './revisions.sheet.js';

/** The formats a report is built in. */
export const REPORT_FORMATS = ['xlsx', 'pdf', 'docx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The cycle a report is built for, frozen (closed, published) or live ("Entwurf"). */
export interface ReportContext {
  cycle: ReportingCycle;
  snapshot: CycleSnapshot | null;
  framework: Framework | undefined;
  draft: boolean;
  generatedAt: Date;
  /** The cut-off: the snapshot's time for a closed cycle, now for an open one. */
  asOf: Date;
  /**
   * Which earlier cycles the "Veränderungen" may compare with: every closed one for the workbook (an internal
   * file), only published ones for PDF and DOCX, which are downloaded from the public pages.
   */
  compareWith: 'closed' | 'published';
}

/** One row of the Maßnahmen table: a counted measure with its status key. */
export interface ReportMeasure {
  state: MeasureState;
  key: StatusKey;
}

/**
 * The measure pages as the report lists them: merged measures left out, every listed row counted into the
 * summary and compared with the previous cycle on the way, so that the totals are those of the rows.
 */
export async function* countedPages(
  pages: AsyncIterable<MeasureState[]>,
  counter: SummaryCounter,
  changes: ChangeCollector | null,
): AsyncIterable<ReportMeasure[]> {
  for await (const page of pages) {
    const rows: ReportMeasure[] = [];
    for (const state of page) {
      if (!isCounted(state.lifecycle)) continue;
      const key = statusKeyOf(state);
      // A closed cycle's goals: those frozen with the item, as cycle_snapshot_item_goals (same close).
      counter.add(state, state.master.goalIds);
      changes?.add(state.measureId, state.code, key, state.progress);
      rows.push({ state, key });
    }
    yield rows;
  }
}

/** What the measure rows leave behind once read: the summary and the comparison with the previous cycle. */
export interface MeasuresRead {
  summary: ReportSummary;
  changes: ChangeCollector | null;
  previousCode: string | null;
  /** measureId → title, as listed. */
  titles: Map<number, string>;
}

/** Everything of the report but the measure rows. */
export interface ReportSections {
  indicators: IndicatorRow[];
  cadence: CadenceRow[];
  meetings: MeetingRow[];
  members: MemberRow[];
  decisions: DecisionRow[];
  changes: ChangeRows;
  revisions: RevisionRow[];
}
