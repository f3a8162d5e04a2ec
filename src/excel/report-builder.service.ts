/**
 * Builds the Umsetzungsbericht of a cycle as an Excel workbook with exceljs' streaming writer: Übersicht,
 * Ziele, Handlungsfelder, Ressorts, Maßnahmen, Indikatoren, Gremien, Beschlüsse, Änderungen. A closed cycle
 * is built from its snapshot (the same content every time), an open one from live data, marked "Entwurf".
 * The measure rows are read page by page from one snapshot of the database (BackgroundReader) and the summary
 * sheets counted from exactly these rows, by the dashboard's rules (report-summary.ts), so the totals
 * (formulas) agree with the rows and memory stays flat.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../common/config/app-config.js';
import type { Actor } from '../common/context/request-context.js';
import { RequestContext } from '../common/context/request-context.js';
import {
  type GroupBreakdown,
  STATUS_KEY_LABELS,
  STATUS_KEYS,
  type StatusKey,
} from '../dashboard/dashboard.service.js';
import { BackgroundReader } from '../database/background-reader.js';
import { num, type RowSource } from '../database/sql.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Framework } from '../framework/framework.entity.js';
import { Department } from '../framework/department.entity.js';
import { Goal } from '../framework/goal.entity.js';
import { PARTICIPATION_TYPE_LABELS } from '../governance/governance.constants.js';
import { GovernanceService } from '../governance/governance.service.js';
import { IndicatorsService, progressTowardsTarget, TOTAL_GROUP } from '../indicators/indicators.service.js';
import { MeasureChange, MEASURE_CHANGE_LABELS } from '../measures/measure-change.entity.js';
import { Measure } from '../measures/measure.entity.js';
import {
  LEVEL_LABELS,
  LIFECYCLE_LABELS,
  NO_REPORT_LABEL,
  STATUS_LABELS,
} from '../measures/measure.constants.js';
import { EXAMPLE_LABEL } from '../measures/measure.view.js';
import { countedSql, isCounted, statusKeyOf } from '../measures/measure-rules.js';
import { previousClosedCycle } from '../reporting/cycle-rules.js';
import { ImplementationReport } from '../reporting/implementation-report.entity.js';
import { MeasureStateReader, type MeasureState, snapshotPages } from '../reporting/measure-state.reader.js';
import { CYCLE_STATE_LABELS, type ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import { MEASURE_COLUMNS, STATUS_COLUMN } from './measure-columns.js';
import { reportStorageError, workbookFileFailure } from './report-file.js';
import {
  ChangeCollector,
  type PreviousState,
  type ReportSummary,
  SummaryCounter,
  type SummaryEntities,
  type SummaryRow,
} from './report-summary.js';
import {
  addStatusFormatting,
  addStyledRow,
  type ColumnSpec,
  columnLetter,
  DATE_FORMAT,
  DECIMAL_FORMAT,
  HEADER_STYLE,
  excelDate,
  INTEGER_FORMAT,
  NOTE_FONT,
  PERCENT_FORMAT,
  addTableSheet,
  abandonWorkbook,
  orderSheets,
  TITLE_FONT,
  TOTAL_FONT,
  WARNING_FONT,
} from './workbook-style.js';

export const REPORT_SHEETS = [
  'Übersicht',
  'Ziele',
  'Handlungsfelder',
  'Ressorts',
  'Maßnahmen',
  'Indikatoren',
  'Gremien',
  'Beschlüsse',
  'Änderungen',
] as const;

export const DRAFT_LABEL =
  'ENTWURF – der Berichtszyklus ist noch nicht abgeschlossen; die Angaben können sich noch ändern.';
export const EXAMPLE_NOTICE = `${EXAMPLE_LABEL}: Dieser Bericht enthält Beispieldaten des Demobetriebs – keine amtlichen Angaben.`;

export interface ReportResult {
  report: ImplementationReport;
  path: string;
}

export type ProgressListener = (done: number, total: number) => void;

/** The closed cycle the report compares with, and its measures' states. */
interface PreviousCycle {
  code: string;
  states: Map<number, PreviousState>;
}

function formatDate(date: Date): string {
  return new Intl.DateTimeFormat('de-DE', {
    timeZone: 'Europe/Berlin',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

@Injectable()
export class ReportBuilderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cycles: ReportingCyclesService,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly governance: GovernanceService,
    private readonly indicators: IndicatorsService,
    private readonly audit: AuditService,
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
    const stamp = generatedAt.toISOString().replace(/[-:]/g, '').replace(/\..+$/, '').replace('T', '-');
    const fileName = `Umsetzungsbericht-${cycle.code}${draft ? '-Entwurf' : ''}-${stamp}.xlsx`;
    const directory = resolve(this.config.REPORTS_DIR);
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
        this.writeMeasures(workbook, pages, counter, changes, total, onProgress),
        fileFailed,
      ]);
      // Done with the snapshot: end its read transaction now rather than after the other sheets.
      await source.close();
      summary = counter.result(await this.summaryEntities());

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
      this.writeOverview(workbook, cycle, summary, framework, { draft, generatedAt, by });
      this.writeGroups(
        workbook,
        'Ziele',
        'Ziel',
        summary.byGoal,
        'Eine Maßnahme kann zu mehreren Zielen beitragen und wird dann bei jedem gezählt.',
      );
      this.writeGroups(workbook, 'Handlungsfelder', 'Handlungsfeld', summary.byActionField);
      this.writeGroups(workbook, 'Ressorts', 'Ressort (federführend)', summary.byDepartment);
      // A closed cycle shows governance and indicators as recorded by its close; an open one as of now.
      const asOf = snapshot ? new Date(snapshot.takenAt) : generatedAt;
      await this.writeIndicators(workbook, asOf);
      await this.writeBodies(workbook, cycle, asOf);
      await this.writeDecisions(workbook, cycle, asOf);
      await this.writeChanges(workbook, cycle, changes, previous?.code ?? null, titles, asOf);
      orderSheets(workbook, REPORT_SHEETS);
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

    const { sha256, size } = await this.checksum(path);
    const report = await RequestContext.withAudit({ action: 'report' }, () =>
      this.transactions.run((manager) =>
        manager.save(
          ImplementationReport,
          manager.create(ImplementationReport, {
            cycleId: cycle.id,
            cycleCode: cycle.code,
            fileName,
            sha256,
            sizeBytes: size,
            draft,
            containsExampleData: summary.containsExampleData,
            measureCount: summary.totals.total,
            generatedById: actor?.id || null,
            generatedBy: actor?.email ?? 'cli',
          }),
        ),
      ),
    );
    return { report, path };
  }

  private writeOverview(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    cycle: ReportingCycle,
    summary: ReportSummary,
    framework: Framework | undefined,
    meta: { draft: boolean; generatedAt: Date; by: string },
  ): void {
    const sheet = workbook.addWorksheet('Übersicht', {
      pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
      properties: { tabColor: { argb: 'FF1F4E79' } },
    });
    sheet.columns = [{ width: 34 }, { width: 16 }, { width: 14 }, { width: 60 }];
    const add = (values: unknown[], font?: Partial<ExcelJS.Font>): ExcelJS.Row => {
      const row = sheet.addRow(values);
      if (font) row.font = font;
      return row;
    };
    add([`Umsetzungsbericht ${cycle.code}`], TITLE_FONT);
    add([framework?.name ?? '']);
    add(['Region', framework?.region ?? '']);
    add([
      'Berichtszeitraum',
      `${excelDate(cycle.periodStart)?.toLocaleDateString('de-DE', { timeZone: 'UTC' })} bis ${excelDate(cycle.periodEnd)?.toLocaleDateString('de-DE', { timeZone: 'UTC' })}`,
    ]);
    add(['Stand des Berichtszyklus', CYCLE_STATE_LABELS[cycle.state]]);
    add(['Erstellt', `${formatDate(meta.generatedAt)} von ${meta.by}`]);
    add(
      [meta.draft ? DRAFT_LABEL : 'Eingefrorener Stand zum Abschluss des Berichtszyklus.'],
      meta.draft ? WARNING_FONT : NOTE_FONT,
    );
    add([summary.containsExampleData ? EXAMPLE_NOTICE : ''], WARNING_FONT);
    add([]);
    const headerRow = add(['Status', 'Maßnahmen', 'Anteil']);
    headerRow.font = { bold: true };
    const firstDataRow = headerRow.number + 1;
    const total = summary.totals.total;
    const range = `Maßnahmen!$${STATUS_COLUMN}$2:$${STATUS_COLUMN}$${total + 1}`;
    const totalRowNumber = firstDataRow + STATUS_KEYS.length;
    STATUS_KEYS.forEach((key, index) => {
      const rowNumber = firstDataRow + index;
      const count = summary.totals.counts[key];
      const row = add([
        STATUS_KEY_LABELS[key],
        { formula: `COUNTIF(${range},"${STATUS_KEY_LABELS[key]}")`, result: count },
        {
          formula: `IF($B$${totalRowNumber}=0,0,B${rowNumber}/$B$${totalRowNumber})`,
          result: total === 0 ? 0 : count / total,
        },
      ]);
      row.getCell(3).numFmt = PERCENT_FORMAT;
    });
    const totalRow = add(
      [
        'Maßnahmen gesamt',
        { formula: `SUM(B${firstDataRow}:B${totalRowNumber - 1})`, result: total },
        { formula: `SUM(C${firstDataRow}:C${totalRowNumber - 1})`, result: total === 0 ? 0 : 1 },
      ],
      TOTAL_FONT,
    );
    totalRow.getCell(3).numFmt = PERCENT_FORMAT;
    add(
      [
        'Kontrolle: Zeilen im Blatt Maßnahmen',
        { formula: `COUNTA(Maßnahmen!$A$2:$A$${total + 1})`, result: total },
      ],
      NOTE_FONT,
    );
    add(['Durchschnittlicher Fortschritt (%)', summary.totals.averageProgress ?? '–']).getCell(2).numFmt =
      DECIMAL_FORMAT;
    add([]);
    add(
      [
        'Zusammenfassende Zahlen je Ziel, Handlungsfeld und Ressort stehen in den folgenden Blättern; jede Maßnahme im Blatt „Maßnahmen“.',
      ],
      NOTE_FONT,
    );
    addStatusFormatting(sheet, `A${firstDataRow}:A${totalRowNumber - 1}`);
    sheet.commit();
  }

  private writeGroups(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    name: string,
    label: string,
    groups: GroupBreakdown[],
    note?: string,
  ): void {
    const numeric = { numFmt: INTEGER_FORMAT, alignment: { vertical: 'top' as const } };
    const columns: ColumnSpec[] = [
      { header: 'Code', key: 'code', width: 9 },
      { header: label, key: 'title', width: 48 },
      { header: 'Maßnahmen', key: 'total', width: 12, style: numeric },
      ...STATUS_KEYS.map((k) => ({ header: STATUS_KEY_LABELS[k], key: k, width: 13, style: numeric })),
      { header: 'Ø Fortschritt (%)', key: 'avg', width: 13, style: { numFmt: DECIMAL_FORMAT } },
    ];
    const sheet = addTableSheet(workbook, name, columns);
    for (const [index, group] of groups.entries()) {
      const rowNumber = 2 + index;
      sheet
        .addRow({
          code: group.code,
          title: group.title,
          total: {
            formula: `SUM(D${rowNumber}:${columnLetter(3 + STATUS_KEYS.length)}${rowNumber})`,
            result: group.total,
          },
          ...Object.fromEntries(STATUS_KEYS.map((k) => [k, group.counts[k]])),
          avg: group.averageProgress ?? null,
        })
        .commit();
    }
    const first = 2;
    const last = first + groups.length - 1;
    const sums: Record<string, unknown> = { code: '', title: 'Summe' };
    for (let column = 3; column <= 3 + STATUS_KEYS.length; column++) {
      const letter = columnLetter(column);
      const key = columns[column - 1].key;
      const result = groups.reduce((a, g) => a + (key === 'total' ? g.total : g.counts[key as StatusKey]), 0);
      sums[key] = { formula: `SUM(${letter}${first}:${letter}${last})`, result };
    }
    const totalRow = sheet.addRow(sums);
    totalRow.font = TOTAL_FONT;
    totalRow.commit();
    if (note) {
      const noteRow = sheet.addRow([note]);
      noteRow.font = NOTE_FONT;
      noteRow.commit();
    }
    sheet.commit();
  }

  /**
   * Writes every measure row, page by page, counting the summary and collecting the changes on the way;
   * returns measureId → title for the changes sheet. `total` (the expected number of rows) is for the
   * progress only.
   */
  private async writeMeasures(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    pages: AsyncIterable<MeasureState[]>,
    counter: SummaryCounter,
    changes: ChangeCollector | null,
    total: number,
    onProgress?: ProgressListener,
  ): Promise<Map<number, string>> {
    const sheet = addTableSheet(workbook, 'Maßnahmen', MEASURE_COLUMNS);
    const fields = new Map((await this.dataSource.manager.find(ActionField)).map((f) => [f.id, f]));
    const titles = new Map<number, string>();
    let done = 0;
    for await (const page of pages) {
      for (const state of page) {
        if (!isCounted(state.lifecycle)) continue;
        const key = statusKeyOf(state);
        // A closed cycle's goals: those frozen with the item, as cycle_snapshot_item_goals (same close).
        counter.add(state, state.master.goalIds);
        changes?.add(state.measureId, state.code, key, state.progress);
        // In the order of MEASURE_COLUMNS.
        addStyledRow(sheet, [
          state.code,
          state.master.title,
          `${state.master.actionFieldCode} ${state.master.actionFieldTitle || fields.get(state.actionFieldId)?.title || ''}`.trim(),
          state.master.goalCodes.join(', '),
          state.master.leadDepartmentName,
          state.master.participatingDepartmentCodes.join(', '),
          LEVEL_LABELS[state.level],
          state.targetGroups.join(', '),
          excelDate(state.master.plannedStart),
          excelDate(state.master.plannedEnd),
          state.master.budget,
          LIFECYCLE_LABELS[state.lifecycle],
          key === 'none' ? NO_REPORT_LABEL : STATUS_LABELS[key],
          state.progress,
          excelDate(state.reportedAt),
          state.summary,
          state.obstacles,
          state.nextSteps,
          state.isExample ? EXAMPLE_LABEL : '',
        ]).commit();
        titles.set(state.measureId, state.master.title);
        done++;
      }
      onProgress?.(done, total);
    }
    // Written with the sheet's end, so the range can follow the rows.
    addStatusFormatting(sheet, `${STATUS_COLUMN}2:${STATUS_COLUMN}${Math.max(2, done + 1)}`);
    sheet.commit();
    return titles;
  }

  private async writeIndicators(workbook: ExcelJS.stream.xlsx.WorkbookWriter, asOf: Date): Promise<void> {
    const sheet = addTableSheet(workbook, 'Indikatoren', [
      { header: 'Code', key: 'code', width: 12 },
      { header: 'Indikator', key: 'name', width: 38 },
      { header: 'Definition', key: 'definition', width: 50 },
      { header: 'Einheit', key: 'unit', width: 8 },
      { header: 'Quelle', key: 'source', width: 30 },
      { header: 'Handlungsfeld', key: 'field', width: 13 },
      { header: 'Wirkungsrichtung', key: 'direction', width: 18 },
      { header: 'Ausgangsjahr', key: 'baselineYear', width: 12 },
      { header: 'Ausgangswert', key: 'baselineValue', width: 12, style: { numFmt: DECIMAL_FORMAT } },
      { header: 'Zieljahr', key: 'targetYear', width: 10 },
      { header: 'Zielwert', key: 'targetValue', width: 10, style: { numFmt: DECIMAL_FORMAT } },
      { header: 'Letztes Jahr', key: 'latestYear', width: 12 },
      { header: 'Letzter Wert (gesamt)', key: 'latestValue', width: 14, style: { numFmt: DECIMAL_FORMAT } },
      { header: 'Fortschritt zum Ziel (%)', key: 'progress', width: 14, style: { numFmt: DECIMAL_FORMAT } },
      { header: 'Werte nach Jahr und Gruppe', key: 'values', width: 60 },
      { header: 'Anmerkung', key: 'note', width: 28 },
      { header: 'Beispieldaten', key: 'example', width: 13 },
    ]);
    const direction = {
      higher_is_better: 'höher ist besser',
      lower_is_better: 'niedriger ist besser',
      neutral: 'Kontextindikator',
    };
    for (const indicator of await this.indicators.list()) {
      const values = indicator.values.filter((v) => new Date(v.createdAt) <= asOf);
      const total =
        values
          .filter((v) => v.group === TOTAL_GROUP)
          .sort((a, b) => a.year - b.year)
          .at(-1) ?? null;
      sheet
        .addRow({
          code: indicator.code,
          name: indicator.name,
          definition: indicator.definition,
          unit: indicator.unit,
          source: indicator.source,
          field: indicator.actionFieldCode ?? '',
          direction: direction[indicator.direction],
          baselineYear: indicator.baselineYear,
          baselineValue: indicator.baselineValue,
          targetYear: indicator.targetYear,
          targetValue: indicator.targetValue,
          latestYear: total?.year ?? null,
          latestValue: total?.value ?? null,
          progress: progressTowardsTarget(indicator, total?.value ?? null),
          values: values.map((v) => `${v.year} ${v.group}: ${v.value.toLocaleString('de-DE')}`).join('; '),
          note: indicator.baselineNote,
          example: values.some((v) => v.isExample) ? EXAMPLE_LABEL : '',
        })
        .commit();
    }
    sheet.commit();
  }

  private async writeBodies(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    cycle: ReportingCycle,
    asOf: Date,
  ): Promise<void> {
    const sheet = addTableSheet(workbook, 'Gremien', [
      { header: 'Gremium', key: 'name', width: 38 },
      { header: 'Jahr', key: 'year', width: 8 },
      { header: 'Sitzungen', key: 'held', width: 11, style: { numFmt: INTEGER_FORMAT } },
      { header: 'Soll je Jahr', key: 'cadence', width: 18 },
      { header: 'Einhaltung', key: 'status', width: 26 },
      { header: 'Beschreibung', key: 'description', width: 50 },
    ]);
    const labels = {
      met: 'eingehalten',
      below: 'unterschritten',
      above: 'überschritten',
      running: 'Jahr läuft noch',
    };
    const bodies = new Map((await this.governance.bodies()).map((b) => [b.id, b]));
    const firstYear = Number(cycle.periodStart.slice(0, 4));
    const lastYear = Number(cycle.periodEnd.slice(0, 4));
    for (let year = firstYear; year <= lastYear; year++) {
      for (const row of await this.governance.cadence(year, asOf.toISOString().slice(0, 10), asOf)) {
        sheet
          .addRow({
            name: row.name,
            year,
            held: row.held,
            cadence:
              row.max === null
                ? `mindestens ${row.min}`
                : row.min === row.max
                  ? String(row.min)
                  : `${row.min}–${row.max}`,
            status: labels[row.status],
            description: bodies.get(row.bodyId)?.description ?? '',
          })
          .commit();
      }
    }
    const gap = sheet.addRow([]);
    gap.commit();
    const title = sheet.addRow(['Sitzungen im Berichtszeitraum']);
    title.font = TOTAL_FONT;
    title.commit();
    const header = sheet.addRow([
      'Gremium',
      'Datum',
      'Teilnehmende',
      'Titel',
      'Ort / Format',
      'Zusammenfassung',
    ]);
    header.eachCell((cell) => (cell.style = HEADER_STYLE));
    header.commit();
    const meetings = await this.governance.meetingsInPeriod(cycle.periodStart, cycle.periodEnd, asOf);
    for (const meeting of meetings) {
      const format = meeting.participationType
        ? ` (${PARTICIPATION_TYPE_LABELS[meeting.participationType]})`
        : '';
      const row = sheet.addRow([
        `${bodies.get(meeting.bodyId)?.name ?? ''}${format}`,
        excelDate(meeting.date),
        meeting.participantCount,
        meeting.title,
        meeting.place,
        meeting.minutesSummary,
      ]);
      row.getCell(2).numFmt = DATE_FORMAT;
      row.commit();
    }
    sheet.commit();
  }

  private async writeDecisions(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    cycle: ReportingCycle,
    asOf: Date,
  ): Promise<void> {
    const sheet = addTableSheet(workbook, 'Beschlüsse', [
      {
        header: 'Sitzung vom',
        key: 'date',
        width: 12,
        style: { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } },
      },
      { header: 'Gremium', key: 'body', width: 30 },
      { header: 'Art', key: 'kind', width: 16 },
      { header: 'Beschluss', key: 'text', width: 60 },
      { header: 'Verantwortlich', key: 'department', width: 28 },
      {
        header: 'Fällig',
        key: 'due',
        width: 12,
        style: { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } },
      },
      { header: 'Stand', key: 'state', width: 15 },
      { header: 'Überfällig', key: 'overdue', width: 11 },
      { header: 'Maßnahmen', key: 'measures', width: 22 },
      { header: 'Beispieldaten', key: 'example', width: 13 },
    ]);
    const departments = new Map((await this.dataSource.manager.find(Department)).map((d) => [d.id, d.name]));
    const codes = new Map<number, string>();
    const decisions = await this.governance.decisionsInPeriod(cycle.periodStart, cycle.periodEnd, asOf);
    const measureIds = [...new Set(decisions.flatMap((d) => d.measureIds))];
    if (measureIds.length) {
      for (const m of await this.dataSource.manager.find(Measure, {
        where: { id: In(measureIds) },
        select: { id: true, code: true },
      })) {
        codes.set(m.id, m.code);
      }
    }
    const day = asOf.toISOString().slice(0, 10);
    for (const d of decisions) {
      sheet
        .addRow({
          date: excelDate(d.meetingDate),
          body: d.bodyName,
          kind: d.kindLabel,
          text: d.text,
          department: departments.get(d.responsibleDepartmentId) ?? '',
          due: excelDate(d.dueDate),
          state: d.stateLabel,
          overdue:
            d.dueDate && d.dueDate < day && (d.state === 'open' || d.state === 'in_progress') ? 'ja' : 'nein',
          measures: d.measureIds.map((id) => codes.get(id) ?? String(id)).join(', '),
          example: d.isExample ? EXAMPLE_LABEL : '',
        })
        .commit();
    }
    sheet.commit();
  }

  private async writeChanges(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
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
    const recorded = await this.dataSource.manager
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
            await this.dataSource.manager.find(Measure, {
              where: { id: In([...new Set(recorded.map((c) => c.measureId))]) },
              select: { id: true, code: true, title: true },
            })
          ).map((m) => [m.id, m])
        : [],
    );
    for (const change of recorded) {
      sheet
        .addRow({
          code: measures.get(change.measureId)?.code ?? '',
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

  /** Goals, action fields and departments in their order, for the summary sheets. */
  private async summaryEntities(): Promise<SummaryEntities> {
    const manager = this.dataSource.manager;
    const order = { sortOrder: 'ASC', id: 'ASC' } as const;
    return {
      goals: await manager.find(Goal, { order }),
      fields: await manager.find(ActionField, { order }),
      departments: await manager.find(Department, { order }),
    };
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

  private checksum(path: string): Promise<{ sha256: string; size: number }> {
    return new Promise((resolvePromise, reject) => {
      const hash = createHash('sha256');
      createReadStream(path)
        .on('data', (chunk) => hash.update(chunk))
        .on('error', reject)
        .on('end', () => resolvePromise({ sha256: hash.digest('hex'), size: statSync(path).size }));
    });
  }

  list(cycleId?: number): Promise<ImplementationReport[]> {
    return this.dataSource.manager.find(ImplementationReport, {
      where: cycleId ? { cycleId } : {},
      order: { id: 'DESC' },
      take: 200,
    });
  }

  async find(id: number): Promise<{ report: ImplementationReport; path: string } | null> {
    const report = await this.dataSource.manager.findOneBy(ImplementationReport, { id });
    if (!report) return null;
    return { report, path: join(resolve(this.config.REPORTS_DIR), report.fileName) };
  }
}
