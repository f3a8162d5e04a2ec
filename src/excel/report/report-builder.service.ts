/**
 * Builds the Umsetzungsbericht of a cycle as an Excel workbook with exceljs' streaming writer: Übersicht,
 * Ziele, Handlungsfelder, Ressorts, Maßnahmen, Indikatoren, Gremien, Beschlüsse, Änderungen (one file per
 * sheet beside this one). A closed cycle is built from its snapshot (the same content every time), an open one
 * from live data, marked "Entwurf". The measure rows are read page by page from one snapshot of the database
 * (BackgroundReader) and the summary sheets counted from exactly these rows, by the dashboard's rules
 * (report-summary.ts), so the totals (formulas) agree with the rows and memory stays flat. The finished file is
 * recorded by ImplementationReportsService.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { Actor } from '../../common/context/request-context.js';
import { BackgroundReader } from '../../database/background-reader.js';
import { num, type RowSource } from '../../database/sql.js';
import { Framework } from '../../framework/framework.entity.js';
import { FrameworkRevisionsService } from '../../framework/revisions/framework-revisions.service.js';
import { GovernanceService } from '../../governance/governance.service.js';
import { IndicatorsService } from '../../indicators/indicators.service.js';
import { EXAMPLE_LABEL } from '../../measures/measure.view.js';
import { countedSql, statusKeyOf } from '../../measures/measure-rules.js';
import { previousClosedCycle } from '../../reporting/cycle-rules.js';
import type { CycleSnapshot } from '../../reporting/cycle-snapshot.entity.js';
import { frameworkEntriesFor } from '../../reporting/framework-at-close.js';
import type { ImplementationReport } from '../../reporting/implementation-report.entity.js';
import { ImplementationReportsService } from '../../reporting/implementation-reports.service.js';
import {
  MeasureStateReader,
  type MeasureState,
  snapshotPages,
} from '../../reporting/measure-state.reader.js';
import { CYCLE_STATE_LABELS, type ReportingCycle } from '../../reporting/reporting-cycle.entity.js';
import { ReportingCyclesService } from '../../reporting/reporting-cycles.service.js';
import { reportStorageError, workbookFileFailure } from '../report-file.js';
import {
  ChangeCollector,
  type PreviousState,
  type ReportSummary,
  SummaryCounter,
  type SummaryEntities,
  type SummaryRow,
} from '../report-summary.js';
import { abandonWorkbook, orderSheets } from '../workbook-style.js';
import { writeBodiesSheet } from './bodies.sheet.js';
import { writeChangesSheet } from './changes.sheet.js';
import { writeDecisionsSheet } from './decisions.sheet.js';
import { writeGroupsSheet } from './groups.sheet.js';
import { writeIndicatorsSheet } from './indicators.sheet.js';
import { type ProgressListener, writeMeasuresSheet } from './measures.sheet.js';
import { writeOverviewSheet } from './overview.sheet.js';
import { REVISIONS_SHEET, writeRevisionsSheet } from './revisions.sheet.js';
import { DRAFT_LABEL, EXAMPLE_NOTICE, formatDate, REPORT_SHEETS } from './report-labels.js';

export { DRAFT_LABEL, EXAMPLE_NOTICE, REPORT_SHEETS } from './report-labels.js';
export type { ProgressListener } from './measures.sheet.js';

export interface ReportResult {
  report: ImplementationReport;
  path: string;
}

const BERLIN_STAMP = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "20261201-044328": the time in Bremen, as the pages show it (not UTC), for the report's file name. */
export function fileNameStamp(at: Date): string {
  return BERLIN_STAMP.format(at).replace(/[-:]/g, '').replace(' ', '-');
}

/** The closed cycle the report compares with, and its measures' states. */
interface PreviousCycle {
  code: string;
  states: Map<number, PreviousState>;
}

@Injectable()
export class ReportBuilderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cycles: ReportingCyclesService,
    private readonly reports: ImplementationReportsService,
    private readonly governance: GovernanceService,
    private readonly indicators: IndicatorsService,
    private readonly audit: AuditService,
    private readonly revisions: FrameworkRevisionsService,
  ) {}

  private readonly logger = new Logger('Umsetzungsbericht');

  /**
   * A report that could not be written: logged and audited; a full or unwritable folder becomes a German 503,
   * anything else is passed on as it was.
   */
  private async reportFailed(
    cycleCode: string,
    fileName: string,
    error: unknown,
    directory: string,
  ): Promise<unknown> {
    const storage = reportStorageError(error, directory);
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.error(`Umsetzungsbericht ${cycleCode} nicht erstellt (${fileName}): ${reason}`);
    try {
      await this.audit.recordEvent({
        action: 'report_failed',
        entity: 'ImplementationReport',
        note: `${cycleCode}: ${storage ? (storage.getResponse() as { code: string }).code : 'Fehler'} – ${reason}`,
      });
    } catch (auditError) {
      this.logger.error(`Fehlgeschlagener Bericht nicht protokolliert: ${String(auditError)}`);
    }
    return storage ?? error;
  }

  /** Builds the report into REPORTS_DIR, records it, and returns the record and the file's path. */
  async generate(cycleId: number, actor: Actor | null, onProgress?: ProgressListener): Promise<ReportResult> {
    const cycle = await this.cycles.findEntity(cycleId);
    const snapshot =
      cycle.state === 'closed' || cycle.state === 'published'
        ? await this.cycles.currentSnapshot(cycle.id)
        : null;
    const [framework] = await this.dataSource.manager.find(Framework, { take: 1 });
    const generatedAt = new Date();
    const draft = snapshot === null;
    const stamp = fileNameStamp(generatedAt);
    const fileName = `Umsetzungsbericht-${cycle.code}${draft ? '-Entwurf' : ''}-${stamp}.xlsx`;
    const directory = this.reports.directory();
    const path = join(directory, fileName);
    try {
      mkdirSync(directory, { recursive: true });
    } catch (error) {
      throw await this.reportFailed(cycle.code, fileName, error, directory);
    }

    // The measure rows (and the previous cycle's states) are read on another thread, from one snapshot of the
    // database, each page while the page before is written. The Maßnahmen sheet is written first and the
    // summary counted from its rows; the summary sheets follow and are then put in front of it.
    const source = BackgroundReader.open(this.dataSource);
    const manager = this.dataSource.manager;
    let workbook: ExcelJS.stream.xlsx.WorkbookWriter | undefined;
    let summary: ReportSummary;
    try {
      const previous = await this.previousCycle(source, cycle, snapshot?.id ?? null);
      let total: number;
      let pages: AsyncIterable<MeasureState[]>;
      if (snapshot) {
        total = await this.snapshotRowCount(source, snapshot.id);
        pages = snapshotPages(source, snapshot.id);
      } else {
        const live = new MeasureStateReader(source, cycle);
        total = await live.countNotMerged();
        pages = live.pages();
      }
      workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
        filename: path,
        useStyles: true,
        useSharedStrings: false,
      });
      const fileFailed = workbookFileFailure(workbook);
      // Without a closed cycle before this one there is nothing to compare with.
      const changes = previous ? new ChangeCollector(previous.states) : null;
      const counter = new SummaryCounter();
      const titles = await Promise.race([
        writeMeasuresSheet(workbook, manager, pages, counter, changes, total, onProgress),
        fileFailed,
      ]);
      // Done with the snapshot: end its read transaction now rather than after the other sheets.
      await source.close();
      summary = counter.result(await this.summaryEntities(snapshot));

      const by = actor ? `${actor.displayName} <${actor.email}>` : 'Kommandozeile';
      Object.assign(workbook, {
        creator: 'Rahmenkonzept-Monitor',
        lastModifiedBy: by,
        created: generatedAt,
        modified: generatedAt,
        title: `Umsetzungsbericht ${cycle.code}${draft ? ' (Entwurf)' : ''}`,
        subject: `${framework?.name ?? 'Rahmenkonzept'} – Berichtszyklus ${cycle.code} (${cycle.periodStart} bis ${cycle.periodEnd})`,
        keywords: [
          'Umsetzungsbericht',
          cycle.code,
          draft ? 'Entwurf' : CYCLE_STATE_LABELS[cycle.state],
          summary.containsExampleData ? EXAMPLE_LABEL : '',
        ]
          .filter(Boolean)
          .join('; '),
        description: `Erstellt am ${formatDate(generatedAt)} von ${by}.${draft ? ' ' + DRAFT_LABEL : ''}${summary.containsExampleData ? ' ' + EXAMPLE_NOTICE : ''}`,
        category: 'Umsetzungsbericht',
        company: framework?.region ?? '',
      });
      writeOverviewSheet(workbook, cycle, summary, framework, { draft, generatedAt, by });
      writeGroupsSheet(
        workbook,
        'Ziele',
        'Ziel',
        summary.byGoal,
        'Eine Maßnahme kann zu mehreren Zielen beitragen und wird dann bei jedem gezählt.',
      );
      writeGroupsSheet(workbook, 'Handlungsfelder', 'Handlungsfeld', summary.byActionField);
      writeGroupsSheet(workbook, 'Ressorts', 'Ressort (federführend)', summary.byDepartment);
      // A closed cycle shows governance and indicators as recorded by its close; an open one as of now.
      const asOf = snapshot ? new Date(snapshot.takenAt) : generatedAt;
      await writeIndicatorsSheet(workbook, this.indicators, asOf, snapshot?.framework?.indicators);
      await writeBodiesSheet(workbook, this.governance, cycle, asOf, snapshot?.framework?.bodies);
      await writeDecisionsSheet(workbook, manager, this.governance, cycle, asOf, snapshot?.framework?.bodies);
      await writeChangesSheet(workbook, manager, cycle, changes, previous?.code ?? null, titles, asOf);
      // Revisions of the framework that took effect in the period, as recorded by the cut-off.
      const revisions = await this.revisions.inPeriod(manager, cycle.periodStart, cycle.periodEnd, asOf);
      if (revisions.length) writeRevisionsSheet(workbook, revisions);
      orderSheets(workbook, revisions.length ? [...REPORT_SHEETS, REVISIONS_SHEET] : REPORT_SHEETS);
      await Promise.race([workbook.commit(), fileFailed]);
    } catch (error) {
      // No half-written workbook is left behind, nor its open file.
      if (workbook) abandonWorkbook(workbook);
      try {
        rmSync(path, { force: true });
      } catch {
        // The error that stopped the report is the one to report.
      }
      throw await this.reportFailed(cycle.code, fileName, error, directory);
    } finally {
      await source.close();
    }

    const report = await this.reports.record(
      path,
      {
        cycleId: cycle.id,
        cycleCode: cycle.code,
        fileName,
        draft,
        containsExampleData: summary.containsExampleData,
        measureCount: summary.totals.total,
      },
      actor,
    );
    return { report, path };
  }

  /**
   * Goals, action fields and departments in their order, for the summary sheets: as frozen at the close for a
   * closed cycle, the current ones for an open cycle.
   */
  private async summaryEntities(snapshot: CycleSnapshot | null): Promise<SummaryEntities> {
    const entries = await frameworkEntriesFor(this.dataSource.manager, snapshot);
    return { goals: entries.goals, fields: entries.actionFields, departments: entries.departments };
  }

  /** The number of rows of a closed cycle's Maßnahmen sheet: its snapshot's items but merged ones. */
  private async snapshotRowCount(source: RowSource, snapshotId: number): Promise<number> {
    const [row] = await source.query<{ n: unknown }>(
      `SELECT COUNT(*) AS "n" FROM "cycle_snapshot_items" i WHERE i."snapshotId" = :snapshotId AND ${countedSql('i')}`,
      { snapshotId },
    );
    return num(row?.n);
  }

  /**
   * The closed cycle to compare with (as on the dashboard): the latest one that ended before this cycle
   * began, other than this cycle's own snapshot; with its measures' states, merged ones left out.
   */
  private async previousCycle(
    source: RowSource,
    cycle: ReportingCycle,
    snapshotId: number | null,
  ): Promise<PreviousCycle | null> {
    const before = previousClosedCycle(await this.cycles.list(), cycle, snapshotId);
    if (!before) return null;
    const rows = await source.query<Record<string, unknown>>(
      `SELECT i."measureId", i."lifecycle", i."status", i."progress" FROM "cycle_snapshot_items" i
        WHERE i."snapshotId" = :snapshotId AND ${countedSql('i')}`,
      { snapshotId: before.snapshotId },
    );
    const states = new Map<number, PreviousState>();
    for (const row of rows) {
      states.set(num(row.measureId), {
        key: statusKeyOf({
          lifecycle: row.lifecycle as SummaryRow['lifecycle'],
          status: (row.status as SummaryRow['status']) ?? null,
        }),
        progress: row.progress === null || row.progress === undefined ? null : num(row.progress),
      });
    }
    return { code: before.code, states };
  }

  list(cycleId?: number): Promise<ImplementationReport[]> {
    return this.reports.list(cycleId);
  }

  find(id: number): Promise<ReportResult | null> {
    return this.reports.find(id);
  }
}
