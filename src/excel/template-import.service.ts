/**
 * Imports a filled-in Erfassungsvorlage. Every row is checked and all errors come back at once (sheet, row,
 * column, German message); nothing is written unless the whole file is valid; a dry run shows what would be
 * created. Reports are created as the uploading user, through the same service and rules as the web form.
 * A row identical to the measure's latest report in the cycle is "unverändert" and creates nothing, so that
 * the same file uploaded twice creates its reports once.
 */
import type { PlanVocabulary } from '../framework/plans.service.js';
import { inPlanWords } from './plan-words.js';
import { Injectable } from '@nestjs/common';
import type ExcelJS from 'exceljs';
import { DataSource, In } from 'typeorm';
import { enforce } from '../common/auth/policy.js';
import { AppConfig } from '../common/config/app-config.js';
import type { Actor } from '../common/context/request-context.js';
import { validateDto } from '../common/http/validation.js';
import { Department } from '../framework/department.entity.js';
import { CreateStatusReportDto } from '../measures/dto/status-report.dto.js';
import { MEASURE_STATUSES, type MeasureStatus, STATUS_LABELS } from '../measures/measure.constants.js';
import { Measure } from '../measures/measure.entity.js';
import { canReportForDepartment, canReportOn, initialReviewState } from '../measures/measure-policy.js';
import { StatusReportsService } from '../measures/status-reports.service.js';
import { todayInBremen } from '../common/dates.js';
import { cycleAcceptsReports } from '../reporting/cycle-rules.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import {
  columnIndex,
  DATA_SHEET,
  LOCKED_COPIES,
  META_SHEET,
  requireCycleOfPlan,
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
import { ImportError } from './import-errors.js';
import { inWordsOf, wordedIn, wordsOfPlan } from '../framework/request-words.js';

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

/** The template's columns that are fields of a status report (the DTO names them the same). */
const TEMPLATE_KEYS = new Set(['status', 'progress', 'summary', 'obstacles', 'nextSteps']);

const LABEL_TO_STATUS = new Map<string, MeasureStatus>(
  MEASURE_STATUSES.flatMap((s) => [
    [STATUS_LABELS[s].toLowerCase(), s],
    [s, s],
  ]),
);
/** A column's header as the plan's template says it. */
const header = (key: string, words: PlanVocabulary): string =>
  inPlanWords(TEMPLATE_COLUMNS[columnIndex(key) - 1].header, words);
const lockedMessage = (key: string, exported: string, words: PlanVocabulary): string => {
  const shown =
    key === 'lastDate' && exported ? exported.split('-').reverse().join('.') : exported || '(leer)';
  return `Gesperrte Zelle geändert: die Spalte „${header(key, words)}“ darf nicht bearbeitet werden (exportiert: „${shown}“).`;
};

@Injectable()
export class TemplateImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cycles: ReportingCyclesService,
    private readonly reports: StatusReportsService,
    private readonly config: AppConfig,
  ) {}

  async import(
    cycleId: number,
    buffer: Buffer | undefined,
    actor: Actor,
    dryRun: boolean,
    frameworkId?: number,
  ): Promise<TemplateImportResult> {
    const cycle = await this.cycles.findEntity(cycleId);
    requireCycleOfPlan(cycle, frameworkId);
    const workbook = await openWorkbook(buffer, uploadLimits(this.config));
    const meta = this.readMeta(workbook);
    if (meta.cycleId !== cycle.id) {
      const other = await this.cycles.findEntity(meta.cycleId).catch(() => null);
      throw fileRefused(
        ImportError.OTHER_CYCLE,
        `Die Vorlage gehört zum Berichtszyklus ${other?.code ?? meta.cycleId}, nicht zu ${cycle.code}. Bitte die Vorlage dieses Zyklus verwenden.`,
      );
    }
    // The words of the template's plan (the cycle's), for every refusal below.
    const words = await wordsOfPlan(this.dataSource.manager, cycle.frameworkId);
    const department = await this.dataSource.manager.findOneBy(Department, { id: meta.departmentId });
    if (!department)
      throw fileRefused(
        ImportError.UNKNOWN_DEPARTMENT,
        wordedIn(
          words,
          'Die Vorlage nennt ein Ressort, das es nicht gibt.',
          `Die Vorlage nennt eine Stelle (${words.organisation}), die es nicht gibt.`,
        ),
      );
    // The same rules as the form: who may report for this department, and whether the cycle takes reports.
    inWordsOf(words, () => enforce(canReportForDepartment(actor, department)));
    enforce(cycleAcceptsReports(cycle));
    const today = todayInBremen();
    const reportedAt = today < cycle.periodEnd ? today : cycle.periodEnd;
    const { rows, errors, skipped } = await this.readRows(
      workbook,
      meta,
      department,
      actor,
      reportedAt,
      words,
      cycle.frameworkId,
    );
    if (errors.length) throw new WorkbookErrorsException(errors);
    const reviewState = initialReviewState(actor);
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
    // Through the service the form uses, in one transaction; a dry run is the same run, rolled back.
    const { reportIds, unchanged } = await this.reports.createMany(
      rows.map((row) => ({
        measureId: row.measureId,
        report: {
          status: row.status,
          progress: row.progress,
          summary: row.summary,
          obstacles: row.obstacles,
          nextSteps: row.nextSteps,
          reportedAt,
        },
      })),
      actor,
      {
        skipUnchanged: true,
        dryRun,
        audit: { action: 'import', note: `Erfassungsvorlage ${cycle.code}/${department.code}` },
      },
    );
    for (const index of unchanged) rows[index].state = 'unchanged';
    return result(reportIds.length, reportIds);
  }

  private readMeta(workbook: ExcelJS.Workbook): TemplateMeta {
    const sheet = workbook.getWorksheet(META_SHEET);
    const data = workbook.getWorksheet(DATA_SHEET);
    if (!sheet || !data) {
      throw fileRefused(
        ImportError.NOT_A_TEMPLATE,
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
        ImportError.NOT_A_TEMPLATE,
        'Die Datei ist keine Erfassungsvorlage des Rahmenkonzept-Monitors (Kennung fehlt oder wurde verändert).',
      );
    }
    return { cycleId, departmentId, rows };
  }

  private async readRows(
    workbook: ExcelJS.Workbook,
    meta: TemplateMeta,
    department: Department,
    actor: Actor,
    reportedAt: string,
    words: PlanVocabulary,
    frameworkId: number,
  ): Promise<{ rows: ImportedRow[]; errors: CellError[]; skipped: number }> {
    const sheet = workbook.getWorksheet(DATA_SHEET)!;
    const errors: CellError[] = [];
    const rows: ImportedRow[] = [];
    let skipped = 0;
    const error = (row: number, key: string, message: string): void => {
      errors.push({ sheet: DATA_SHEET, row, column: header(key, words), message });
    };
    const ids = [...meta.rows.values()]
      .map((r) => r.measureId)
      .filter((id) => Number.isInteger(id) && id > 0);
    const measures = new Map(
      (ids.length ? await this.dataSource.manager.findBy(Measure, { id: In(ids), frameworkId }) : []).map(
        (m) => [m.id, m],
      ),
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
          wordedIn(
            words,
            'Gesperrte Zelle geändert: der Titel der Maßnahme darf nicht bearbeitet werden.',
            `Gesperrte Zelle geändert: der Titel (${words.measure}) darf nicht bearbeitet werden.`,
          ),
        );
      if (expected.locked) {
        for (const key of LOCKED_COPIES) {
          if (!this.lockedCellKept(row, key, expected.locked[key]))
            error(rowNumber, key, lockedMessage(key, expected.locked[key], words));
        }
      }
      if (!entered) {
        skipped++;
        continue;
      }
      const measure = measures.get(expected.measureId);
      if (!measure) {
        error(
          rowNumber,
          'code',
          wordedIn(
            words,
            'Diese Maßnahme gibt es nicht mehr.',
            `${words.measure} ${expected.code} gibt es nicht mehr.`,
          ),
        );
        continue;
      }
      if (measure.leadDepartmentId !== department.id) {
        error(
          rowNumber,
          'code',
          wordedIn(
            words,
            `Die Maßnahme ${measure.code} wird nicht von ${department.name} federführend verantwortet.`,
            `${words.measure} ${measure.code} wird nicht von ${department.name} federführend verantwortet.`,
          ),
        );
      } else if (measure.version !== expected.version) {
        error(
          rowNumber,
          'code',
          wordedIn(
            words,
            `Die Maßnahme ${measure.code} wurde nach dem Herunterladen der Vorlage geändert. Bitte eine neue Vorlage herunterladen.`,
            `${words.measure} ${measure.code} wurde nach dem Herunterladen der Vorlage geändert. Bitte eine neue Vorlage herunterladen.`,
          ),
        );
      } else {
        // Who may report on it, and whether it still takes reports: the form's policy.
        const decision = canReportOn(actor, measure);
        if (!decision.allowed) error(rowNumber, 'code', decision.message);
      }
      // The status column holds the German words of the drop-down list; the DTO checks the rest.
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
      const progressCell = cellNumber(row.getCell(columnIndex('progress')));
      const { value: report, errors: fieldErrors } = await validateDto(
        CreateStatusReportDto,
        {
          status: status ?? 'planned',
          progress: progressCell ?? (text('progress') || undefined),
          summary: text('summary'),
          obstacles: text('obstacles'),
          nextSteps: text('nextSteps'),
          reportedAt,
        },
        { stopAtFirstError: true },
      );
      for (const fieldError of fieldErrors) {
        const key = TEMPLATE_KEYS.has(fieldError.field) ? fieldError.field : 'code';
        for (const message of fieldError.messages) error(rowNumber, key, message);
      }
      if (status && fieldErrors.length === 0) {
        rows.push({
          row: rowNumber,
          measureId: expected.measureId,
          code: expected.code,
          status,
          progress: report.progress,
          summary: report.summary,
          obstacles: report.obstacles ?? '',
          nextSteps: report.nextSteps ?? '',
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
