/**
 * Erfassungsvorlage: one workbook per department and cycle with the department's measures. Master data is
 * locked; status (drop-down), progress (0–100), Sachstand, Hindernisse and nächste Schritte are editable.
 * A very hidden sheet records the cycle, the department and each measure's version at export, so that the
 * import can refuse a file of another cycle or department, or one whose measures changed since.
 */
import { Framework } from '../framework/framework.entity.js';
import { DEFAULT_VOCABULARY, type PlanVocabulary, vocabularyOf } from '../framework/plans.service.js';
import { inPlanColumns, inPlanWords } from './plan-words.js';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { notFound } from '../common/http/domain-errors.js';
import { CycleError } from '../reporting/cycle-errors.js';
import { enforce } from '../common/auth/policy.js';
import { canReportForDepartment } from '../measures/measure-policy.js';
import { dueSql } from '../measures/measure-rules.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { FrameworkService } from '../framework/framework.service.js';
import { MEASURE_STATUSES, NO_REPORT_LABEL, STATUS_LABELS } from '../measures/measure.constants.js';
import { Measure } from '../measures/measure.entity.js';
import { todayInBremen } from '../common/dates.js';
import { CYCLE_STATE_LABELS, type ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import {
  addTableSheet,
  type ColumnSpec,
  DATE_FORMAT,
  excelDate,
  HEADER_STYLE,
  INTEGER_FORMAT,
  NOTE_FONT,
  TITLE_FONT,
} from './workbook-style.js';
import { dativePlural } from '../web/format.js';

export const TEMPLATE_FORMAT = 'rahmenkonzept-monitor/erfassungsvorlage';
export const TEMPLATE_FORMAT_VERSION = 1;
export const DATA_SHEET = 'Meldungen';
export const META_SHEET = '_vorlage';
/** Sheet protection against accidental edits of master data; it is not a secret (the import checks anyway). */
export const PROTECTION_PASSWORD = 'rahmenkonzept';

export const TEMPLATE_COLUMNS: (ColumnSpec & { editable?: boolean })[] = [
  { header: 'ID', key: 'id', width: 6 },
  { header: 'Code', key: 'code', width: 10 },
  { header: 'Maßnahme', key: 'title', width: 44 },
  { header: 'Handlungsfeld', key: 'field', width: 24 },
  { header: 'Letzter Status', key: 'lastStatus', width: 15 },
  {
    header: 'Letzter Fortschritt (%)',
    key: 'lastProgress',
    width: 12,
    style: { numFmt: INTEGER_FORMAT, alignment: { vertical: 'top' } },
  },
  {
    header: 'Stand vom',
    key: 'lastDate',
    width: 12,
    style: { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } },
  },
  { header: 'Status', key: 'status', width: 16, editable: true },
  {
    header: 'Fortschritt (%)',
    key: 'progress',
    width: 12,
    editable: true,
    style: { numFmt: '0', alignment: { vertical: 'top' } },
  },
  { header: 'Sachstand', key: 'summary', width: 60, editable: true },
  { header: 'Hindernisse', key: 'obstacles', width: 40, editable: true },
  { header: 'Nächste Schritte', key: 'nextSteps', width: 40, editable: true },
];

export const columnIndex = (key: string): number => TEMPLATE_COLUMNS.findIndex((c) => c.key === key) + 1;
/** Locked columns whose exported values the hidden sheet keeps beside id, code and title (dates as JJJJ-MM-TT). */
export const LOCKED_COPIES = ['field', 'lastStatus', 'lastProgress', 'lastDate'] as const;

const EDITABLE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF9E5' } };

/**
 * A cycle named together with a plan (`?frameworkId=`, the page's plan) must be that plan's: another plan's
 * cycle is not found there.
 */
export function requireCycleOfPlan(cycle: ReportingCycle, frameworkId?: number): void {
  const plan = frameworkId ?? RequestContext.current()?.planId;
  if (plan !== undefined && plan !== cycle.frameworkId)
    throw notFound(CycleError.NOT_FOUND, `Berichtszyklus ${cycle.id} gehört nicht zu diesem Plan.`);
}

export interface TemplateFile {
  fileName: string;
  buffer: Buffer;
}

@Injectable()
export class TemplateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cycles: ReportingCyclesService,
    private readonly frameworks: FrameworkService,
  ) {}

  async build(
    cycleId: number,
    departmentId: number,
    actor: Actor,
    frameworkId?: number,
  ): Promise<TemplateFile> {
    const cycle = await this.cycles.findEntity(cycleId);
    requireCycleOfPlan(cycle, frameworkId);
    const department = await this.frameworks.getDepartment(departmentId);
    enforce(canReportForDepartment(actor, department));
    const measures = await this.dataSource.manager
      .createQueryBuilder(Measure, 'm')
      .where('m.leadDepartmentId = :departmentId', { departmentId })
      // The cycle's plan's measures due in it: a measure completed before it began is not asked again.
      .andWhere('m.frameworkId = :plan', { plan: cycle.frameworkId })
      .andWhere(dueSql('"m"'), { start: cycle.periodStart, end: cycle.periodEnd })
      .orderBy('m.sortKey', 'ASC')
      .addOrderBy('m.code', 'ASC')
      .getMany();
    const fields = new Map(
      (await this.dataSource.manager.findBy(ActionField, { frameworkId: cycle.frameworkId })).map((f) => [
        f.id,
        f,
      ]),
    );

    const words = vocabularyOf(await this.dataSource.manager.findOneBy(Framework, { id: cycle.frameworkId }));

    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'Rahmenkonzept-Monitor';
    workbook.created = new Date();
    workbook.title = `Erfassungsvorlage ${department.name} – ${cycle.code}`;
    workbook.subject = `Sachstandsmeldungen zum Berichtszyklus ${cycle.code}`;
    this.writeInstructions(workbook, cycle, department, measures.length, words);
    // The columns keep their places (the import reads them by position); their headers say the plan's words.
    const sheet = addTableSheet(workbook, DATA_SHEET, inPlanColumns(TEMPLATE_COLUMNS, words));
    sheet.getColumn(columnIndex('id')).hidden = true;
    const statusList = `"${MEASURE_STATUSES.map((s) => STATUS_LABELS[s]).join(',')}"`;
    measures.forEach((measure, index) => {
      const rowNumber = index + 2;
      const row = sheet.getRow(rowNumber);
      row.values = {
        id: measure.id,
        code: measure.code,
        title: measure.title,
        field:
          `${fields.get(measure.actionFieldId)?.code ?? ''} ${fields.get(measure.actionFieldId)?.title ?? ''}`.trim(),
        lastStatus: measure.status ? STATUS_LABELS[measure.status] : NO_REPORT_LABEL,
        lastProgress: measure.progress,
        lastDate: excelDate(measure.statusDate),
      };
      for (const column of TEMPLATE_COLUMNS.filter((c) => c.editable)) {
        const cell = row.getCell(columnIndex(column.key));
        cell.protection = { locked: false };
        cell.fill = EDITABLE_FILL;
      }
      row.getCell(columnIndex('status')).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [statusList],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: 'Status',
        error: 'Bitte einen Status aus der Liste wählen.',
      };
      row.getCell(columnIndex('progress')).dataValidation = {
        type: 'whole',
        operator: 'between',
        allowBlank: true,
        formulae: [0, 100],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: 'Fortschritt',
        error: 'Bitte eine ganze Zahl von 0 bis 100 eingeben.',
      };
      for (const key of ['summary', 'obstacles', 'nextSteps']) {
        row.getCell(columnIndex(key)).dataValidation = {
          type: 'textLength',
          operator: 'lessThanOrEqual',
          allowBlank: true,
          formulae: [4000],
          showErrorMessage: true,
          errorStyle: 'stop',
          error: 'Höchstens 4.000 Zeichen.',
        };
      }
    });
    await sheet.protect(PROTECTION_PASSWORD, {
      selectLockedCells: true,
      selectUnlockedCells: true,
      formatColumns: true,
      formatRows: true,
      autoFilter: true,
      sort: false,
    });
    this.writeMeta(workbook, cycle, department, measures);
    workbook.views = [
      { x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 1, visibility: 'visible' },
    ];
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    return { fileName: `Erfassungsvorlage-${cycle.code}-${department.code}.xlsx`, buffer };
  }

  private writeInstructions(
    workbook: ExcelJS.Workbook,
    cycle: ReportingCycle,
    department: Department,
    count: number,
    words: PlanVocabulary,
  ): void {
    const sheet = workbook.addWorksheet('Anleitung', { properties: { tabColor: { argb: 'FF1F4E79' } } });
    sheet.columns = [{ width: 110 }];
    const deadline = excelDate(cycle.inputDeadline)!.toLocaleDateString('de-DE', {
      timeZone: 'UTC',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    });
    const lines: [string, Partial<ExcelJS.Font>?][] = [
      [`Erfassungsvorlage – ${department.name}`, TITLE_FONT],
      [
        `Berichtszyklus ${cycle.code} (${CYCLE_STATE_LABELS[cycle.state]}), Meldeschluss ${deadline}`,
        { bold: true },
      ],
      [
        `Erstellt am ${todayInBremen().split('-').reverse().join('.')} mit ${count} Maßnahme(n) Ihres Ressorts.`,
      ],
      [''],
      ['So füllen Sie die Vorlage aus', { bold: true }],
      ['1. Im Blatt „Meldungen“ steht je Zeile eine Maßnahme, die Ihr Ressort federführend verantwortet.'],
      [
        '2. Grau hinterlegte Spalten (Code, Maßnahme, Handlungsfeld, letzter Stand) sind gesperrt und werden nicht verändert.',
      ],
      [
        '3. Füllen Sie je Maßnahme die gelb hinterlegten Spalten aus: Status (Auswahlliste), Fortschritt (ganze Zahl von 0 bis 100),',
      ],
      [
        '    Sachstand (Pflicht, mindestens 10 Zeichen), Hindernisse und nächste Schritte (freiwillig, je höchstens 4.000 Zeichen).',
      ],
      ['4. Zeilen ohne Eintrag werden übersprungen: für diese Maßnahmen wird keine Meldung angelegt.'],
      [
        '5. Laden Sie die Datei im Rahmenkonzept-Monitor hoch (Seite „Meldungen“ → „Ausgefüllte Vorlage hochladen“). Eine Vorschau zeigt vorher, was angelegt wird.',
      ],
      [
        '6. Enthält die Datei Fehler, werden alle Fehler mit Zeile und Spalte angezeigt und nichts gespeichert. Korrigieren Sie und laden Sie erneut hoch.',
      ],
      [''],
      [`Erlaubte Status: ${MEASURE_STATUSES.map((s) => STATUS_LABELS[s]).join(', ')}`],
      [
        'Die Vorlage gilt nur für dieses Ressort und diesen Berichtszyklus. Wurde eine Maßnahme nach dem Herunterladen geändert, laden Sie bitte eine neue Vorlage herunter.',
        NOTE_FONT,
      ],
    ];
    // In a plan's own words the department is named, since the article of its word is not known.
    const own = words.organisation !== DEFAULT_VOCABULARY.organisation;
    const named = (text: string): string =>
      own
        ? text
            .replace(/Ihres Ressorts/g, `von ${department.name}`)
            .replace(/Ihr Ressort/g, department.name)
            .replace(/dieses Ressort/g, department.name)
        : text;
    // "eine Maßnahme" would not fit a word of another gender ("Projekt"): said as "ein Eintrag (Projekt)".
    const entry = (text: string): string =>
      words.measure !== DEFAULT_VOCABULARY.measure
        ? text
            .replace('steht je Zeile eine Maßnahme, die', 'steht je Zeile ein Eintrag (Maßnahme), den')
            .replace('Wurde eine Maßnahme nach', 'Wurde ein Eintrag (Maßnahme) nach')
            .replace(
              `${count} Maßnahme(n)`,
              `${count} ${count === 1 ? words.measure : dativePlural(words.measures)}`,
            )
        : text;
    for (const [text, font] of lines) {
      const row = sheet.addRow([inPlanWords(named(entry(text)), words)]);
      if (font) row.font = font;
    }
  }

  private writeMeta(
    workbook: ExcelJS.Workbook,
    cycle: ReportingCycle,
    department: Department,
    measures: Measure[],
  ): void {
    const meta = workbook.addWorksheet(META_SHEET, { state: 'veryHidden' });
    meta.addRows([
      ['format', TEMPLATE_FORMAT],
      ['formatVersion', TEMPLATE_FORMAT_VERSION],
      ['cycleId', cycle.id],
      ['cycleCode', cycle.code],
      ['departmentId', department.id],
      ['departmentCode', department.code],
      ['generatedAt', new Date().toISOString()],
      ['measureCount', measures.length],
    ]);
    // The locked columns' values as exported, so that the import can refuse an edit in any of them.
    const header = meta.addRow(['row', 'measureId', 'code', 'title', 'version', ...LOCKED_COPIES]);
    header.eachCell((cell) => (cell.style = HEADER_STYLE));
    const data = workbook.getWorksheet(DATA_SHEET)!;
    measures.forEach((m, index) => {
      const row = data.getRow(index + 2);
      meta.addRow([
        index + 2,
        m.id,
        m.code,
        m.title,
        m.version,
        row.getCell(columnIndex('field')).value,
        row.getCell(columnIndex('lastStatus')).value,
        m.progress,
        m.statusDate,
      ]);
    });
  }
}
