/**
 * Builds the Umsetzungsbericht of a cycle as an Excel workbook with exceljs' streaming writer: Übersicht,
 * Ziele, Handlungsfelder, Ressorts, Maßnahmen, Indikatoren, Gremien, Beschlüsse, Änderungen. A closed cycle
 * is built from its snapshot (the same content every time), an open one from live data, marked "Entwurf".
 * The numbers come from DashboardService, the measure rows page by page from the same source, so the
 * totals (formulas) agree with the rows and memory stays flat.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { AppConfig } from '../common/config/app-config.js';
import type { Actor } from '../common/context/request-context.js';
import { RequestContext } from '../common/context/request-context.js';
import {
  type Dashboard,
  DashboardService,
  type GroupBreakdown,
  STATUS_KEY_LABELS,
  STATUS_KEYS,
  type StatusKey,
} from '../dashboard/dashboard.service.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Framework } from '../framework/framework.entity.js';
import { GovernanceBody } from '../governance/governance-body.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import {
  LEVEL_LABELS,
  LIFECYCLE_LABELS,
  NO_REPORT_LABEL,
  STATUS_LABELS,
} from '../measures/measure.constants.js';
import { EXAMPLE_LABEL } from '../measures/measure.view.js';
import { CycleSnapshotItem } from '../reporting/cycle-snapshot-item.entity.js';
import { ImplementationReport } from '../reporting/implementation-report.entity.js';
import { MeasureStateReader, type MeasureState, PAGE_SIZE } from '../reporting/measure-state.reader.js';
import { CYCLE_STATE_LABELS, type ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import {
  addStatusFormatting,
  type ColumnSpec,
  columnLetter,
  DATE_FORMAT,
  DECIMAL_FORMAT,
  EURO_FORMAT,
  excelDate,
  INTEGER_FORMAT,
  NOTE_FONT,
  PERCENT_FORMAT,
  addTableSheet,
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

/** Columns of the Maßnahmen sheet; the status column is referenced by the overview's formulas. */
const MEASURE_COLUMNS: ColumnSpec[] = [
  { header: 'Code', key: 'code', width: 10 },
  { header: 'Maßnahme', key: 'title', width: 42 },
  { header: 'Handlungsfeld', key: 'field', width: 30 },
  { header: 'Ziele', key: 'goals', width: 10 },
  { header: 'Federführung', key: 'lead', width: 28 },
  { header: 'Beteiligte Ressorts', key: 'participating', width: 18 },
  { header: 'Ebene', key: 'level', width: 16 },
  { header: 'Zielgruppen', key: 'targetGroups', width: 22 },
  {
    header: 'Beginn',
    key: 'start',
    width: 12,
    style: { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } },
  },
  { header: 'Ende', key: 'end', width: 12, style: { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } } },
  {
    header: 'Budget',
    key: 'budget',
    width: 14,
    style: { numFmt: EURO_FORMAT, alignment: { vertical: 'top' } },
  },
  { header: 'Lebenszyklus', key: 'lifecycle', width: 14 },
  { header: 'Status', key: 'status', width: 15 },
  {
    header: 'Fortschritt (%)',
    key: 'progress',
    width: 11,
    style: { numFmt: INTEGER_FORMAT, alignment: { vertical: 'top' } },
  },
  {
    header: 'Stand vom',
    key: 'reportedAt',
    width: 12,
    style: { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } },
  },
  { header: 'Sachstand', key: 'summary', width: 60 },
  { header: 'Hindernisse', key: 'obstacles', width: 40 },
  { header: 'Nächste Schritte', key: 'nextSteps', width: 40 },
  { header: 'Beispieldaten', key: 'example', width: 13 },
];
export const STATUS_COLUMN = columnLetter(MEASURE_COLUMNS.findIndex((c) => c.key === 'status') + 1);

export interface ReportResult {
  report: ImplementationReport;
  path: string;
}

export type ProgressListener = (done: number, total: number) => void;

function statusKeyOf(state: Pick<MeasureState, 'lifecycle' | 'status'>): StatusKey {
  if (state.lifecycle === 'discontinued') return 'discontinued';
  return state.status ?? 'none';
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
    private readonly dashboard: DashboardService,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
  ) {}

  /** Builds the report into REPORTS_DIR, records it, and returns the record and the file's path. */
  async generate(cycleId: number, actor: Actor | null, onProgress?: ProgressListener): Promise<ReportResult> {
    const cycle = await this.cycles.findEntity(cycleId);
    const snapshot =
      cycle.state === 'closed' || cycle.state === 'published'
        ? await this.cycles.currentSnapshot(cycle.id)
        : null;
    const dashboard = await this.dashboard.build({ cycleId: cycle.id }, undefined, {
      changeItems: Number.MAX_SAFE_INTEGER,
    });
    const [framework] = await this.dataSource.manager.find(Framework, { take: 1 });
    const generatedAt = new Date();
    const draft = snapshot === null;
    const stamp = generatedAt.toISOString().replace(/[-:]/g, '').replace(/\..+$/, '').replace('T', '-');
    const fileName = `Umsetzungsbericht-${cycle.code}${draft ? '-Entwurf' : ''}-${stamp}.xlsx`;
    const directory = resolve(this.config.REPORTS_DIR);
    mkdirSync(directory, { recursive: true });
    const path = join(directory, fileName);

    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: path,
      useStyles: true,
      useSharedStrings: false,
    });
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
        dashboard.containsExampleData ? EXAMPLE_LABEL : '',
      ]
        .filter(Boolean)
        .join('; '),
      description: `Erstellt am ${formatDate(generatedAt)} von ${by}.${draft ? ' ' + DRAFT_LABEL : ''}${dashboard.containsExampleData ? ' ' + EXAMPLE_NOTICE : ''}`,
      category: 'Umsetzungsbericht',
      company: framework?.region ?? '',
    });

    const total = dashboard.totals.total;
    this.writeOverview(workbook, cycle, dashboard, framework, { draft, generatedAt, by });
    this.writeGroups(
      workbook,
      'Ziele',
      'Ziel',
      dashboard.byGoal,
      'Eine Maßnahme kann zu mehreren Zielen beitragen und wird dann bei jedem gezählt.',
    );
    this.writeGroups(workbook, 'Handlungsfelder', 'Handlungsfeld', dashboard.byActionField);
    this.writeGroups(workbook, 'Ressorts', 'Ressort (federführend)', dashboard.byDepartment);
    const titles = await this.writeMeasures(workbook, cycle, snapshot?.id ?? null, total, onProgress);
    await this.writeIndicators(workbook);
    await this.writeBodies(workbook);
    this.writeDecisions(workbook);
    this.writeChanges(workbook, dashboard, titles);
    await workbook.commit();

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
            containsExampleData: dashboard.containsExampleData,
            measureCount: total,
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
    dashboard: Dashboard,
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
    add([dashboard.containsExampleData ? EXAMPLE_NOTICE : ''], WARNING_FONT);
    add([]);
    const headerRow = add(['Status', 'Maßnahmen', 'Anteil']);
    headerRow.font = { bold: true };
    const firstDataRow = headerRow.number + 1;
    const total = dashboard.totals.total;
    const range = `Maßnahmen!$${STATUS_COLUMN}$2:$${STATUS_COLUMN}$${total + 1}`;
    const totalRowNumber = firstDataRow + STATUS_KEYS.length;
    STATUS_KEYS.forEach((key, index) => {
      const rowNumber = firstDataRow + index;
      const count = dashboard.totals.counts[key];
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
    add(['Durchschnittlicher Fortschritt (%)', dashboard.totals.averageProgress ?? '–']).getCell(2).numFmt =
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

  /** Writes every measure row, page by page; returns measureId → title for the changes sheet. */
  private async writeMeasures(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    cycle: ReportingCycle,
    snapshotId: number | null,
    total: number,
    onProgress?: ProgressListener,
  ): Promise<Map<number, string>> {
    const sheet = addTableSheet(workbook, 'Maßnahmen', MEASURE_COLUMNS);
    addStatusFormatting(sheet, `${STATUS_COLUMN}2:${STATUS_COLUMN}${Math.max(2, total + 1)}`);
    const fields = new Map((await this.dataSource.manager.find(ActionField)).map((f) => [f.id, f]));
    const titles = new Map<number, string>();
    let done = 0;
    for await (const page of this.states(cycle, snapshotId)) {
      for (const state of page) {
        if (state.lifecycle === 'merged') continue;
        const key = statusKeyOf(state);
        sheet
          .addRow({
            code: state.code,
            title: state.master.title,
            field:
              `${state.master.actionFieldCode} ${state.master.actionFieldTitle || fields.get(state.actionFieldId)?.title || ''}`.trim(),
            goals: state.master.goalCodes.join(', '),
            lead: state.master.leadDepartmentName,
            participating: state.master.participatingDepartmentCodes.join(', '),
            level: LEVEL_LABELS[state.level],
            targetGroups: state.targetGroups.join(', '),
            start: excelDate(state.master.plannedStart),
            end: excelDate(state.master.plannedEnd),
            budget: state.master.budget,
            lifecycle: LIFECYCLE_LABELS[state.lifecycle],
            status: key === 'none' ? NO_REPORT_LABEL : STATUS_LABELS[key],
            progress: state.progress,
            reportedAt: excelDate(state.reportedAt),
            summary: state.summary,
            obstacles: state.obstacles,
            nextSteps: state.nextSteps,
            example: state.isExample ? EXAMPLE_LABEL : '',
          })
          .commit();
        titles.set(state.measureId, state.master.title);
        done++;
      }
      onProgress?.(done, total);
    }
    sheet.commit();
    return titles;
  }

  /** The rows of the report: the snapshot of a closed cycle, or the live state within an open one. */
  private async *states(cycle: ReportingCycle, snapshotId: number | null): AsyncGenerator<MeasureState[]> {
    if (snapshotId === null) {
      yield* new MeasureStateReader(this.dataSource.manager, cycle).pages();
      return;
    }
    let afterCode = '';
    for (;;) {
      const items = await this.dataSource.manager
        .createQueryBuilder(CycleSnapshotItem, 'i')
        .where('i.snapshotId = :snapshotId AND i.code > :afterCode', { snapshotId, afterCode })
        .orderBy('i.code', 'ASC')
        .take(PAGE_SIZE)
        .getMany();
      if (items.length === 0) return;
      yield items;
      afterCode = items[items.length - 1].code;
      if (items.length < PAGE_SIZE) return;
    }
  }

  private async writeIndicators(workbook: ExcelJS.stream.xlsx.WorkbookWriter): Promise<void> {
    const sheet = addTableSheet(workbook, 'Indikatoren', [
      { header: 'Code', key: 'code', width: 12 },
      { header: 'Indikator', key: 'name', width: 40 },
      { header: 'Definition', key: 'definition', width: 60 },
      { header: 'Einheit', key: 'unit', width: 9 },
      { header: 'Quelle', key: 'source', width: 34 },
      { header: 'Handlungsfeld', key: 'field', width: 14 },
      { header: 'Wirkungsrichtung', key: 'direction', width: 18 },
      { header: 'Ausgangsjahr', key: 'baselineYear', width: 13 },
      { header: 'Ausgangswert', key: 'baselineValue', width: 13, style: { numFmt: DECIMAL_FORMAT } },
      { header: 'Zieljahr', key: 'targetYear', width: 10 },
      { header: 'Zielwert', key: 'targetValue', width: 10, style: { numFmt: DECIMAL_FORMAT } },
      { header: 'Anmerkung', key: 'note', width: 30 },
    ]);
    const indicators = await this.dataSource.manager.find(Indicator, {
      relations: { actionField: true },
      order: { code: 'ASC' },
    });
    const direction = {
      higher_is_better: 'höher ist besser',
      lower_is_better: 'niedriger ist besser',
      neutral: 'Kontextindikator',
    };
    for (const indicator of indicators) {
      sheet
        .addRow({
          code: indicator.code,
          name: indicator.name,
          definition: indicator.definition,
          unit: indicator.unit,
          source: indicator.source,
          field: indicator.actionField?.code ?? '',
          direction: direction[indicator.direction],
          baselineYear: indicator.baselineYear,
          baselineValue: indicator.baselineValue,
          targetYear: indicator.targetYear,
          targetValue: indicator.targetValue,
          note: indicator.baselineNote,
        })
        .commit();
    }
    const note = sheet.addRow([
      'Zeitreihen der Indikatorwerte werden mit dem Indikatoren-Modul erfasst und hier ergänzt.',
    ]);
    note.font = NOTE_FONT;
    note.commit();
    sheet.commit();
  }

  private async writeBodies(workbook: ExcelJS.stream.xlsx.WorkbookWriter): Promise<void> {
    const sheet = addTableSheet(workbook, 'Gremien', [
      { header: 'Gremium', key: 'name', width: 38 },
      { header: 'Beschreibung', key: 'description', width: 50 },
      { header: 'Sitzungen je Jahr (Soll)', key: 'cadence', width: 22 },
      { header: 'Mitglieder', key: 'members', width: 12, style: { numFmt: INTEGER_FORMAT } },
    ]);
    const bodies = await this.dataSource.manager.find(GovernanceBody, { order: { sortOrder: 'ASC' } });
    for (const body of bodies) {
      const cadence =
        body.maxMeetingsPerYear === null
          ? `mindestens ${body.minMeetingsPerYear}, fortlaufend`
          : body.minMeetingsPerYear === body.maxMeetingsPerYear
            ? String(body.minMeetingsPerYear)
            : `${body.minMeetingsPerYear}–${body.maxMeetingsPerYear}`;
      sheet
        .addRow({ name: body.name, description: body.description, cadence, members: body.members.length })
        .commit();
    }
    const note = sheet.addRow([
      'Sitzungen und die Einhaltung des Turnus werden mit dem Gremien-Modul erfasst und hier ergänzt.',
    ]);
    note.font = NOTE_FONT;
    note.commit();
    sheet.commit();
  }

  private writeDecisions(workbook: ExcelJS.stream.xlsx.WorkbookWriter): void {
    const sheet = workbook.addWorksheet('Beschlüsse');
    sheet.columns = [{ width: 100 }];
    const row = sheet.addRow([
      'Beschlüsse der Gremien werden mit dem Gremien-Modul (Beschlusscontrolling) erfasst; dieses Blatt wird dann gefüllt.',
    ]);
    row.font = NOTE_FONT;
    row.commit();
    sheet.commit();
  }

  private writeChanges(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    dashboard: Dashboard,
    titles: Map<number, string>,
  ): void {
    const sheet = addTableSheet(workbook, 'Änderungen', [
      { header: 'Code', key: 'code', width: 10 },
      { header: 'Maßnahme', key: 'title', width: 46 },
      { header: 'Veränderung', key: 'change', width: 16 },
      { header: 'Status vorher', key: 'from', width: 15 },
      { header: 'Status jetzt', key: 'to', width: 15 },
      { header: 'Fortschritt vorher (%)', key: 'fromProgress', width: 14 },
      { header: 'Fortschritt jetzt (%)', key: 'toProgress', width: 14 },
    ]);
    const labels = { up: 'verbessert', down: 'verschlechtert', new: 'neu', discontinued: 'eingestellt' };
    const { changes } = dashboard;
    for (const item of changes.items) {
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
    const note = sheet.addRow([
      changes.sinceCycleCode
        ? `Veränderungen gegenüber dem abgeschlossenen Berichtszyklus ${changes.sinceCycleCode}: ${changes.up} verbessert, ${changes.down} verschlechtert, ${changes.new} neu, ${changes.discontinued} eingestellt.`
        : 'Es gibt keinen früheren abgeschlossenen Berichtszyklus zum Vergleich.',
    ]);
    note.font = NOTE_FONT;
    note.commit();
    addStatusFormatting(sheet, `D2:E${Math.max(2, changes.items.length + 1)}`);
    sheet.commit();
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
