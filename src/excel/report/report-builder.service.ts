/**
 * Builds the Umsetzungsbericht of a cycle as an Excel workbook with exceljs' streaming writer: Übersicht,
 * Ziele, Handlungsfelder, Ressorts, Maßnahmen, Indikatoren, Gremien, Beschlüsse, Änderungen (one file per
 * sheet beside this one); or as a document (PDF, DOCX; ../document/) from the very same rows and sections. A closed cycle is built from its snapshot (the same content every time), an open one
 * from live data, marked "Entwurf". The measure rows are read page by page from one snapshot of the database
 * (BackgroundReader) and the summary sheets counted from exactly these rows, by the dashboard's rules
 * (report-summary.ts), so the totals (formulas) agree with the rows and memory stays flat. The finished file is
 * recorded by ImplementationReportsService.
 */
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { Actor } from '../../common/context/request-context.js';
import { BackgroundReader } from '../../database/background-reader.js';
import { managerRows, num, type RowSource } from '../../database/sql.js';
import { ActionField } from '../../framework/action-field.entity.js';
import { Framework } from '../../framework/framework.entity.js';
import { FrameworkRevisionsService } from '../../framework/revisions/framework-revisions.service.js';
import { vocabularyOf } from '../../framework/plans.service.js';
import { fileNameWord, reportSheetName } from '../plan-words.js';
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
import { CYCLE_STATE_LABELS } from '../../reporting/reporting-cycle.entity.js';
import { ReportingCyclesService } from '../../reporting/reporting-cycles.service.js';
import { buildReportDocument } from '../document/report-document.js';
import { reportDocx } from '../document/report-docx.js';
import { renderReportHtml } from '../document/report-html.js';
import { PdfPrinter } from '../document/pdf-printer.service.js';
import { observeDuration, reportBuildDuration } from '../../metrics/metrics.js';
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
import { bodyRows, writeBodiesSheet } from './bodies.sheet.js';
import { changeRows, writeChangesSheet } from './changes.sheet.js';
import { decisionRows, writeDecisionsSheet } from './decisions.sheet.js';
import { writeGroupsSheet } from './groups.sheet.js';
import { Area, MeasureArea } from '../../framework/area.entity.js';

/** The sheet counting measures by the plan's areas, after Ressorts, when the plan has areas. */
const AREAS_SHEET = 'Gebiete';
import { indicatorRows, writeIndicatorsSheet } from './indicators.sheet.js';
import { type ProgressListener, writeMeasuresSheet } from './measures.sheet.js';
import { writeOverviewSheet } from './overview.sheet.js';
import {
  countedPages,
  type MeasuresRead,
  type ReportContext,
  type ReportFormat,
  type ReportMeasure,
  type ReportSections,
} from './report-data.js';
import { REVISIONS_SHEET, revisionRows, writeRevisionsSheet } from './revisions.sheet.js';
import {
  areasNote,
  DRAFT_LABEL,
  EXAMPLE_NOTICE,
  formatDate,
  goalsNote,
  REPORT_SHEETS,
} from './report-labels.js';

export { DRAFT_LABEL, EXAMPLE_NOTICE, REPORT_SHEETS } from './report-labels.js';
export type { ProgressListener } from './measures.sheet.js';
export { REPORT_FORMATS, type ReportFormat } from './report-data.js';

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

/**
 * Creates the report's file under a name no other build uses: two builds of one cycle in the same second (two
 * people, or two instances sharing a folder) get "…-104500.xlsx" and "…-104500-2.xlsx" instead of writing
 * into one file. `wx` makes the check and the creation one step.
 */
function reserveFile(directory: string, baseName: string, format: string): string {
  for (let n = 1; ; n++) {
    const path = join(directory, `${baseName}${n === 1 ? '' : `-${n}`}.${format}`);
    try {
      closeSync(openSync(path, 'wx'));
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw error;
    }
  }
}

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
    private readonly pdf: PdfPrinter,
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

  /**
   * Builds the report into REPORTS_DIR in the given format (the workbook by default), records it, and returns
   * the record and the file's path; `within` runs inside the transaction that records it (see
   * ImplementationReportsService.record).
   */
  @observeDuration(reportBuildDuration)
  async generate(
    cycleId: number,
    actor: Actor | null,
    onProgress?: ProgressListener,
    format: ReportFormat = 'xlsx',
    within?: (manager: EntityManager, report: ImplementationReport) => Promise<void>,
  ): Promise<ReportResult> {
    const context = await this.context(cycleId, format === 'xlsx' ? 'closed' : 'published');
    const { cycle, draft } = context;
    const stamp = fileNameStamp(context.generatedAt);
    const baseName = `${fileNameWord(vocabularyOf(context.framework).report)}-${cycle.code}${draft ? '-Entwurf' : ''}-${stamp}`;
    const directory = this.reports.directory();
    let fileName = `${baseName}.${format}`;
    let path: string;
    try {
      mkdirSync(directory, { recursive: true });
      path = reserveFile(directory, baseName, format);
      fileName = basename(path);
    } catch (error) {
      throw await this.reportFailed(cycle.code, fileName, error, directory);
    }
    const by = actor ? `${actor.displayName} <${actor.email}>` : 'Kommandozeile';
    let summary: ReportSummary;
    try {
      summary =
        format === 'xlsx'
          ? await this.writeWorkbook(context, path, by, onProgress)
          : await this.writeDocument(context, path, format, onProgress);
    } catch (error) {
      // No half-written file is left behind.
      try {
        rmSync(path, { force: true });
      } catch {
        // The error that stopped the report is the one to report.
      }
      throw await this.reportFailed(cycle.code, fileName, error, directory);
    }

    let report: ImplementationReport;
    try {
      report = await this.reports.record(
        path,
        {
          cycleId: cycle.id,
          cycleCode: cycle.code,
          fileName,
          format,
          draft,
          containsExampleData: summary.containsExampleData,
          measureCount: summary.totals.total,
        },
        actor,
        within,
      );
    } catch (error) {
      // Not recorded (a job that lost its lease, a full disk): no file without its record.
      rmSync(path, { force: true });
      throw error;
    }
    return { report, path };
  }

  /** The cycle and its cut-off: a closed cycle from its snapshot, an open one from live data ("Entwurf"). */
  private async context(cycleId: number, compareWith: ReportContext['compareWith']): Promise<ReportContext> {
    const cycle = await this.cycles.findEntity(cycleId);
    const snapshot = await this.cycles.frozenSnapshot(cycle);
    const framework =
      (await this.dataSource.manager.findOneBy(Framework, { id: cycle.frameworkId })) ?? undefined;
    const generatedAt = new Date();
    // A closed cycle shows governance and indicators as recorded by its close; an open one as of now.
    const asOf = snapshot ? new Date(snapshot.takenAt) : generatedAt;
    return { cycle, snapshot, framework, draft: snapshot === null, generatedAt, asOf, compareWith };
  }

  /**
   * Reads the measure rows on another thread, from one snapshot of the database, each page while the page
   * before is handed to `onPage`; counts the summary and collects the changes from exactly these rows.
   */
  private async readMeasures(
    context: ReportContext,
    onPage: (pages: AsyncIterable<ReportMeasure[]>, total: number) => Promise<Map<number, string>>,
  ): Promise<MeasuresRead> {
    const { cycle, snapshot } = context;
    const source = BackgroundReader.open(this.dataSource);
    try {
      const previous = await this.previousCycle(source, context, snapshot?.id ?? null);
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
      // Without a closed cycle before this one there is nothing to compare with.
      const changes = previous ? new ChangeCollector(previous.states) : null;
      const counter = new SummaryCounter(await this.areaLinks(cycle.frameworkId));
      const titles = await onPage(countedPages(pages, counter, changes), total);
      // Done with the snapshot: end its read transaction now rather than after the other sections.
      await source.close();
      return {
        summary: counter.result(await this.summaryEntities(snapshot, cycle.frameworkId)),
        changes,
        previousCode: previous?.code ?? null,
        titles,
      };
    } finally {
      await source.close();
    }
  }

  /** Governance, indicators, changes and Fortschreibung, as recorded by the report's cut-off. */
  private async sections(context: ReportContext, read: MeasuresRead): Promise<ReportSections> {
    const { cycle, snapshot, asOf } = context;
    const manager = this.dataSource.manager;
    const bodies = await bodyRows(this.governance, cycle, asOf, snapshot?.framework?.bodies);
    return {
      indicators: await indicatorRows(
        this.indicators,
        asOf,
        snapshot?.framework?.indicators,
        cycle.frameworkId,
      ),
      cadence: bodies.cadence,
      meetings: bodies.meetings,
      members: bodies.members,
      decisions: await decisionRows(manager, this.governance, cycle, asOf, snapshot?.framework?.bodies),
      changes: await changeRows(
        manager,
        cycle,
        read.changes,
        read.previousCode,
        read.titles,
        asOf,
        context.compareWith === 'published' ? 'veröffentlichten' : 'abgeschlossenen',
        vocabularyOf(context.framework),
      ),
      // Revisions of the framework that took effect in the period, as recorded by the cut-off.
      revisions: revisionRows(
        await this.revisions.inPeriod(manager, cycle.frameworkId, cycle.periodStart, cycle.periodEnd, asOf),
      ),
    };
  }

  /**
   * The workbook, with exceljs' streaming writer: the Maßnahmen sheet is written first and the summary counted
   * from its rows; the summary sheets follow and are then put in front of it.
   */
  private async writeWorkbook(
    context: ReportContext,
    path: string,
    by: string,
    onProgress?: ProgressListener,
  ): Promise<ReportSummary> {
    const { cycle, framework, draft, generatedAt } = context;
    const manager = this.dataSource.manager;
    const words = vocabularyOf(framework);
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: path,
      useStyles: true,
      useSharedStrings: false,
    });
    try {
      const fileFailed = workbookFileFailure(workbook);
      const read = await this.readMeasures(context, (pages, total) =>
        Promise.race([writeMeasuresSheet(workbook, manager, pages, total, onProgress, words), fileFailed]),
      );
      const summary = read.summary;
      Object.assign(workbook, {
        creator: 'Rahmenkonzept-Monitor',
        lastModifiedBy: by,
        created: generatedAt,
        modified: generatedAt,
        title: `${words.report} ${cycle.code}${draft ? ' (Entwurf)' : ''}`,
        subject: `${framework?.name ?? 'Rahmenkonzept'} – Berichtszyklus ${cycle.code} (${cycle.periodStart} bis ${cycle.periodEnd})`,
        keywords: [
          words.report,
          cycle.code,
          draft ? 'Entwurf' : CYCLE_STATE_LABELS[cycle.state],
          summary.containsExampleData ? EXAMPLE_LABEL : '',
        ]
          .filter(Boolean)
          .join('; '),
        description: `Erstellt am ${formatDate(generatedAt)} von ${by}.${draft ? ' ' + DRAFT_LABEL : ''}${summary.containsExampleData ? ' ' + EXAMPLE_NOTICE : ''}`,
        category: words.report,
        company: framework?.region ?? '',
      });
      writeOverviewSheet(workbook, cycle, summary, framework, { draft, generatedAt, by }, words);
      writeGroupsSheet(
        workbook,
        reportSheetName('Ziele', words),
        words.goal,
        summary.byGoal,
        goalsNote(words),
        words,
      );
      writeGroupsSheet(
        workbook,
        reportSheetName('Handlungsfelder', words),
        words.field,
        summary.byActionField,
        undefined,
        words,
      );
      writeGroupsSheet(
        workbook,
        reportSheetName('Ressorts', words),
        `${words.organisation} (federführend)`,
        summary.byDepartment,
        undefined,
        words,
      );
      // Only a plan with areas (e.g. Bezirksregionen) is counted by them.
      const byArea = summary.byArea.length > 0;
      if (byArea) {
        writeGroupsSheet(workbook, AREAS_SHEET, 'Gebiet', summary.byArea, areasNote(words), words);
      }
      const sections = await this.sections(context, read);
      writeIndicatorsSheet(workbook, sections.indicators, words);
      writeBodiesSheet(workbook, sections.cadence, sections.meetings, sections.members, words);
      writeDecisionsSheet(workbook, sections.decisions, words);
      writeChangesSheet(workbook, sections.changes, words);
      if (sections.revisions.length) writeRevisionsSheet(workbook, sections.revisions);
      const sheets = REPORT_SHEETS.map((name) => reportSheetName(name, words));
      if (byArea) sheets.splice(sheets.indexOf(reportSheetName('Ressorts', words)) + 1, 0, AREAS_SHEET);
      if (sections.revisions.length) sheets.push(REVISIONS_SHEET);
      orderSheets(workbook, sheets);
      await Promise.race([workbook.commit(), fileFailed]);
      return summary;
    } catch (error) {
      // Nor its open file.
      abandonWorkbook(workbook);
      throw error;
    }
  }

  /** The document (PDF or DOCX): the same rows and sections as the workbook, laid out for reading. */
  private async writeDocument(
    context: ReportContext,
    path: string,
    format: 'pdf' | 'docx',
    onProgress?: ProgressListener,
  ): Promise<ReportSummary> {
    // Fail before reading anything when the PDF cannot be printed at all.
    if (format === 'pdf') this.pdf.ensureAvailable();
    const manager = this.dataSource.manager;
    const fields = new Map(
      (await manager.find(ActionField, { where: { frameworkId: context.cycle.frameworkId } })).map((f) => [
        f.id,
        f,
      ]),
    );
    const measures: ReportMeasure[] = [];
    const read = await this.readMeasures(context, async (pages, total) => {
      const titles = new Map<number, string>();
      for await (const page of pages) {
        for (const row of page) {
          measures.push(row);
          titles.set(row.state.measureId, row.state.master.title);
        }
        onProgress?.(measures.length, total);
      }
      return titles;
    });
    const document = buildReportDocument(
      context,
      measures,
      fields,
      read.summary,
      await this.sections(context, read),
    );
    const bytes =
      format === 'pdf'
        ? await this.pdf.print(renderReportHtml(document), document.title)
        : await reportDocx(document);
    writeFileSync(path, bytes);
    return read.summary;
  }

  /**
   * Goals, action fields and departments in their order, for the summary sheets: as frozen at the close for a
   * closed cycle, the current ones for an open cycle.
   */
  private async summaryEntities(
    snapshot: CycleSnapshot | null,
    frameworkId: number,
  ): Promise<SummaryEntities> {
    const entries = await frameworkEntriesFor(this.dataSource.manager, snapshot, frameworkId);
    const areas = await this.dataSource.manager.find(Area, {
      where: { frameworkId },
      order: { sortOrder: 'ASC', id: 'ASC' },
    });
    return {
      goals: entries.goals,
      fields: entries.actionFields,
      departments: entries.departments,
      areas: areas.map((a) => ({ id: a.id, code: a.code, name: a.name })),
    };
  }

  /** measureId → the areas the measure names now (areas are not frozen with a cycle's snapshot). */
  private async areaLinks(frameworkId: number): Promise<Map<number, number[]>> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(MeasureArea, 'ma')
      .innerJoin(Area, 'a', 'a.id = ma.areaId')
      .where('a.frameworkId = :frameworkId', { frameworkId })
      .getMany();
    const links = new Map<number, number[]>();
    for (const row of rows) links.set(row.measureId, [...(links.get(row.measureId) ?? []), row.areaId]);
    return links;
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
   * began, other than this cycle's own snapshot (for a document: the latest published one, so that a public
   * file never shows a cycle that was not published); with its measures' states, merged ones left out.
   */
  private async previousCycle(
    source: RowSource,
    { cycle, compareWith }: ReportContext,
    snapshotId: number | null,
  ): Promise<PreviousCycle | null> {
    const candidates = (await this.cycles.list(cycle.frameworkId)).filter(
      (c) => compareWith === 'closed' || c.state === 'published',
    );
    const before = previousClosedCycle(candidates, cycle, snapshotId);
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

  /** How many measures the cycle's report lists: whether its build is long work (ExcelJobs). */
  async measureCount(cycleId: number): Promise<number> {
    const cycle = await this.cycles.findEntity(cycleId);
    const snapshot = await this.cycles.frozenSnapshot(cycle);
    const source = managerRows(this.dataSource.manager);
    return snapshot
      ? this.snapshotRowCount(source, snapshot.id)
      : new MeasureStateReader(source, cycle).countNotMerged();
  }

  list(cycleId?: number, frameworkId?: number): Promise<ImplementationReport[]> {
    return this.reports.list(cycleId, frameworkId);
  }

  /** The record and where its file was built (the bytes to serve come from ImplementationReportsService.content). */
  async find(id: number): Promise<ReportResult | null> {
    const report = await this.reports.find(id);
    return report ? { report, path: join(this.reports.directory(), report.fileName) } : null;
  }
}
