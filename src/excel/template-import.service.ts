/**
 * Imports a filled-in Erfassungsvorlage. Every row is checked and all errors come back at once (sheet, row,
 * column, German message); nothing is written unless the whole file is valid; a dry run shows what would be
 * created. Reports are created as the uploading user, through the same service and rules as the web form.
 * A row identical to the measure's latest report in the cycle is "unverändert" and creates nothing, so that
 * the same file uploaded twice creates its reports once.
 */
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../common/config/app-config.js';
import type ExcelJS from 'exceljs';
import { Between, DataSource, type EntityManager, In } from 'typeorm';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { conflict, forbidden } from '../common/http/domain-errors.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { Department } from '../framework/department.entity.js';
import { MEASURE_STATUSES, type MeasureStatus, STATUS_LABELS } from '../measures/measure.constants.js';
import { Measure } from '../measures/measure.entity.js';
import { StatusReport } from '../measures/status-report.entity.js';
import { StatusReportsService, todayInBremen } from '../measures/status-reports.service.js';
import { CYCLE_STATE_LABELS, type ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import {
  columnIndex,
  DATA_SHEET,
  LOCKED_COPIES,
  META_SHEET,
  TEMPLATE_COLUMNS,
  TEMPLATE_FORMAT,
} from './template.service.js';
import {
  type CellError,
  cellDate,
  cellNumber,
  cellText,
  fileRefused,
  openWorkbook,
  uploadLimits,
  WorkbookErrorsException,
} from './workbook-reader.js';

export interface ImportedRow {
  row: number;
  measureId: number;
  code: string;
  status: MeasureStatus;
  progress: number;
  summary: string;
  obstacles: string;
  nextSteps: string;
  /** create: a new report; unchanged: identical to the measure's latest report in the cycle, nothing created. */
  state: 'create' | 'unchanged';
}

export interface TemplateImportResult {
  dryRun: boolean;
  cycleId: number;
  cycleCode: string;
  departmentId: number;
  departmentCode: string;
  reportedAt: string;
  reviewState: 'submitted' | 'accepted';
  created: number;
  /** Rows identical to the measure's latest report in the cycle: nothing is created for them. */
  unchanged: number;
  skipped: number;
  rows: ImportedRow[];
  reportIds: number[];
}

interface ExpectedRow {
  measureId: number;
  code: string;
  title: string;
  version: number;
  /** The other locked columns as exported; absent in templates made before they were recorded. */
  locked?: Record<(typeof LOCKED_COPIES)[number], string>;
}

interface TemplateMeta {
  cycleId: number;
  departmentId: number;
  rows: Map<number, ExpectedRow>;
}

type ReportContent = Pick<ImportedRow, 'status' | 'progress' | 'summary' | 'obstacles' | 'nextSteps'>;
const normalise = (text: string): string => text.replace(/\r\n?/g, '\n').trim();
const sameContent = (a: ReportContent, b: ReportContent): boolean =>
  a.status === b.status &&
  a.progress === b.progress &&
  normalise(a.summary) === normalise(b.summary) &&
  normalise(a.obstacles) === normalise(b.obstacles) &&
  normalise(a.nextSteps) === normalise(b.nextSteps);

const LABEL_TO_STATUS = new Map<string, MeasureStatus>(
  MEASURE_STATUSES.flatMap((s) => [
    [STATUS_LABELS[s].toLowerCase(), s],
    [s, s],
  ]),
);
const header = (key: string): string => TEMPLATE_COLUMNS[columnIndex(key) - 1].header;
const lockedMessage = (key: string, exported: string): string => {
  const shown =
    key === 'lastDate' && exported ? exported.split('-').reverse().join('.') : exported || '(leer)';
  return `Gesperrte Zelle geändert: die Spalte „${header(key)}“ darf nicht bearbeitet werden (exportiert: „${shown}“).`;
};

@Injectable()
export class TemplateImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cycles: ReportingCyclesService,
    private readonly reports: StatusReportsService,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
  ) {}

  async import(
    cycleId: number,
    buffer: Buffer | undefined,
    actor: Actor,
    dryRun: boolean,
  ): Promise<TemplateImportResult> {
    const cycle = await this.cycles.findEntity(cycleId);
    const workbook = await openWorkbook(buffer, uploadLimits(this.config));
    const meta = this.readMeta(workbook);
    if (meta.cycleId !== cycle.id) {
      const other = await this.cycles.findEntity(meta.cycleId).catch(() => null);
      throw fileRefused(
        'IMPORT.OTHER_CYCLE',
        `Die Vorlage gehört zum Berichtszyklus ${other?.code ?? meta.cycleId}, nicht zu ${cycle.code}. Bitte die Vorlage dieses Zyklus verwenden.`,
      );
    }
    const department = await this.dataSource.manager.findOneBy(Department, { id: meta.departmentId });
    if (!department)
      throw fileRefused('IMPORT.UNKNOWN_DEPARTMENT', 'Die Vorlage nennt ein Ressort, das es nicht gibt.');
    if (actor.role === 'editor' && actor.departmentId !== department.id) {
      throw forbidden(
        'IMPORT.OTHER_DEPARTMENT',
        `Die Vorlage gehört zum Ressort „${department.name}“. Sie können nur Vorlagen Ihres eigenen Ressorts hochladen.`,
      );
    }
    if (actor.role === 'viewer') throw forbidden('IMPORT.ROLE', 'Ihre Rolle erlaubt keine Meldungen.');
    if (cycle.state !== 'collecting' && cycle.state !== 'reviewing') {
      throw conflict(
        'IMPORT.CYCLE_NOT_OPEN',
        `Der Berichtszyklus ${cycle.code} ist „${CYCLE_STATE_LABELS[cycle.state]}“; Meldungen werden nur während der Erfassung und Prüfung angenommen.`,
      );
    }
    const today = todayInBremen();
    const reportedAt = today < cycle.periodEnd ? today : cycle.periodEnd;
    const { rows, errors, skipped } = await this.readRows(workbook, meta, department);
    if (errors.length) throw new WorkbookErrorsException(errors);
    const reviewState = actor.role === 'admin' ? 'accepted' : 'submitted';
    const result = (created: number, reportIds: number[]): TemplateImportResult => ({
      dryRun,
      cycleId: cycle.id,
      cycleCode: cycle.code,
      departmentId: department.id,
      departmentCode: department.code,
      reportedAt,
      reviewState,
      created,
      unchanged: rows.filter((r) => r.state === 'unchanged').length,
      skipped,
      rows,
      reportIds,
    });
    if (dryRun) {
      await this.markUnchanged(this.dataSource.manager, cycle, rows);
      return result(0, []);
    }
    const reportIds = await RequestContext.withAudit(
      { action: 'import', note: `Erfassungsvorlage ${cycle.code}/${department.code}` },
      () =>
        this.transactions.run(async (manager) => {
          // Compared inside the transaction, so that the answer describes exactly what was written.
          await this.markUnchanged(manager, cycle, rows);
          const ids: number[] = [];
          for (const row of rows.filter((r) => r.state === 'create')) {
            const measure = await manager.findOneByOrFail(Measure, { id: row.measureId });
            const report = await this.reports.append(manager, measure, {
              status: row.status,
              progress: row.progress,
              summary: row.summary,
              obstacles: row.obstacles,
              nextSteps: row.nextSteps,
              reportedAt,
              authorId: actor.id,
              reviewState,
              reviewedById: reviewState === 'accepted' ? actor.id : null,
            });
            ids.push(report.id);
          }
          return ids;
        }),
    );
    return result(reportIds.length, reportIds);
  }

  /** Marks the rows identical to their measure's latest submitted or accepted report in the cycle. */
  private async markUnchanged(
    manager: EntityManager,
    cycle: ReportingCycle,
    rows: ImportedRow[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const latest = new Map<number, StatusReport>();
    const ids = rows.map((r) => r.measureId);
    // In chunks: an IN list of thousands of ids would pass the database's parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const reports = await manager.find(StatusReport, {
        where: {
          measureId: In(ids.slice(i, i + 500)),
          reviewState: In(['submitted', 'accepted']),
          reportedAt: Between(cycle.periodStart, cycle.periodEnd),
        },
        order: { reportedAt: 'DESC', id: 'DESC' },
      });
      for (const report of reports) if (!latest.has(report.measureId)) latest.set(report.measureId, report);
    }
    for (const row of rows) {
      const report = latest.get(row.measureId);
      row.state = report && sameContent(report, row) ? 'unchanged' : 'create';
    }
  }

  private readMeta(workbook: ExcelJS.Workbook): TemplateMeta {
    const sheet = workbook.getWorksheet(META_SHEET);
    const data = workbook.getWorksheet(DATA_SHEET);
    if (!sheet || !data) {
      throw fileRefused(
        'IMPORT.NOT_A_TEMPLATE',
        'Die Datei ist keine Erfassungsvorlage des Rahmenkonzept-Monitors. Bitte die Vorlage herunterladen und ausfüllen.',
      );
    }
    const values = new Map<string, string>();
    const rows: TemplateMeta['rows'] = new Map();
    let inRows = false;
    let lockedColumns = false;
    sheet.eachRow((row) => {
      const first = cellText(row.getCell(1));
      if (first === 'row') {
        inRows = true;
        lockedColumns = LOCKED_COPIES.every((key, i) => cellText(row.getCell(6 + i)) === key);
        return;
      }
      if (!inRows) values.set(first, cellText(row.getCell(2)));
      else {
        rows.set(Number(first), {
          measureId: Number(cellText(row.getCell(2))),
          code: cellText(row.getCell(3)),
          title: cellText(row.getCell(4)),
          version: Number(cellText(row.getCell(5))),
          locked: lockedColumns
            ? {
                field: cellText(row.getCell(6)),
                lastStatus: cellText(row.getCell(7)),
                lastProgress: cellText(row.getCell(8)),
                lastDate: cellText(row.getCell(9)),
              }
            : undefined,
        });
      }
    });
    const cycleId = Number(values.get('cycleId'));
    const departmentId = Number(values.get('departmentId'));
    if (
      values.get('format') !== TEMPLATE_FORMAT ||
      !Number.isInteger(cycleId) ||
      !Number.isInteger(departmentId)
    ) {
      throw fileRefused(
        'IMPORT.NOT_A_TEMPLATE',
        'Die Datei ist keine Erfassungsvorlage des Rahmenkonzept-Monitors (Kennung fehlt oder wurde verändert).',
      );
    }
    return { cycleId, departmentId, rows };
  }

  private async readRows(
    workbook: ExcelJS.Workbook,
    meta: TemplateMeta,
    department: Department,
  ): Promise<{ rows: ImportedRow[]; errors: CellError[]; skipped: number }> {
    const sheet = workbook.getWorksheet(DATA_SHEET)!;
    const errors: CellError[] = [];
    const rows: ImportedRow[] = [];
    let skipped = 0;
    const error = (row: number, key: string, message: string): void => {
      errors.push({ sheet: DATA_SHEET, row, column: header(key), message });
    };
    const ids = [...meta.rows.values()]
      .map((r) => r.measureId)
      .filter((id) => Number.isInteger(id) && id > 0);
    const measures = new Map(
      (ids.length ? await this.dataSource.manager.findBy(Measure, { id: In(ids) }) : []).map((m) => [
        m.id,
        m,
      ]),
    );
    const lastRow = Math.max(sheet.rowCount, ...meta.rows.keys());
    for (let rowNumber = 2; rowNumber <= lastRow; rowNumber++) {
      const row = sheet.getRow(rowNumber);
      const text = (key: string): string => cellText(row.getCell(columnIndex(key)));
      const expected = meta.rows.get(rowNumber);
      const entered = ['status', 'progress', 'summary', 'obstacles', 'nextSteps'].some(
        (key) => text(key) !== '',
      );
      if (!expected) {
        if (entered || text('id') || text('code'))
          error(rowNumber, 'code', 'Diese Zeile gehört nicht zur Vorlage; bitte keine Zeilen einfügen.');
        continue;
      }
      if (text('id') !== String(expected.measureId))
        error(rowNumber, 'id', 'Die verborgene Kennung wurde verändert oder die Zeilen wurden umsortiert.');
      if (text('code') !== expected.code)
        error(rowNumber, 'code', `Gesperrte Zelle geändert: erwartet „${expected.code}“.`);
      if (text('title') !== expected.title)
        error(
          rowNumber,
          'title',
          'Gesperrte Zelle geändert: der Titel der Maßnahme darf nicht bearbeitet werden.',
        );
      if (expected.locked) {
        for (const key of LOCKED_COPIES) {
          if (!this.lockedCellKept(row, key, expected.locked[key]))
            error(rowNumber, key, lockedMessage(key, expected.locked[key]));
        }
      }
      if (!entered) {
        skipped++;
        continue;
      }
      const measure = measures.get(expected.measureId);
      if (!measure) {
        error(rowNumber, 'code', 'Diese Maßnahme gibt es nicht mehr.');
        continue;
      }
      if (measure.leadDepartmentId !== department.id) {
        error(
          rowNumber,
          'code',
          `Die Maßnahme ${measure.code} wird nicht von ${department.name} federführend verantwortet.`,
        );
      } else if (measure.version !== expected.version || measure.lifecycle !== 'active') {
        error(
          rowNumber,
          'code',
          `Die Maßnahme ${measure.code} wurde nach dem Herunterladen der Vorlage geändert. Bitte eine neue Vorlage herunterladen.`,
        );
      }
      const statusText = text('status');
      const status = LABEL_TO_STATUS.get(statusText.toLowerCase());
      if (!statusText) error(rowNumber, 'status', 'Bitte einen Status wählen.');
      else if (!status) {
        error(
          rowNumber,
          'status',
          `Unbekannter Status „${statusText}“; erlaubt: ${MEASURE_STATUSES.map((s) => STATUS_LABELS[s]).join(', ')}.`,
        );
      }
      const progress = cellNumber(row.getCell(columnIndex('progress')));
      if (progress === null)
        error(rowNumber, 'progress', 'Bitte den Fortschritt als ganze Zahl von 0 bis 100 angeben.');
      else if (!Number.isInteger(progress) || progress < 0 || progress > 100) {
        error(
          rowNumber,
          'progress',
          `„${text('progress')}“ ist kein gültiger Fortschritt; erlaubt ist eine ganze Zahl von 0 bis 100.`,
        );
      }
      const summary = text('summary');
      if (summary.length < 10)
        error(rowNumber, 'summary', 'Der Sachstand ist ein Pflichtfeld (mindestens 10 Zeichen).');
      for (const key of ['summary', 'obstacles', 'nextSteps']) {
        if (text(key).length > 4000) error(rowNumber, key, 'Höchstens 4.000 Zeichen.');
      }
      if (
        status &&
        progress !== null &&
        Number.isInteger(progress) &&
        progress >= 0 &&
        progress <= 100 &&
        summary.length >= 10
      ) {
        rows.push({
          row: rowNumber,
          measureId: expected.measureId,
          code: expected.code,
          status,
          progress,
          summary,
          obstacles: text('obstacles'),
          nextSteps: text('nextSteps'),
          state: 'create',
        });
      }
    }
    return { rows, errors, skipped };
  }

  /** A locked cell still holds its exported value: compared as a date, a number or text, as the column holds. */
  private lockedCellKept(row: ExcelJS.Row, key: (typeof LOCKED_COPIES)[number], exported: string): boolean {
    const cell = row.getCell(columnIndex(key));
    if (key === 'lastDate') return (cellDate(cell) ?? '') === exported;
    if (key === 'lastProgress') {
      const value = cellNumber(cell);
      return exported === '' ? value === null : value === Number(exported);
    }
    return cellText(cell) === exported;
  }
}
