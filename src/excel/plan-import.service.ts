/**
 * Maßnahmenplan import (admin): creates or updates measures by code from a workbook with the documented
 * column layout (data/README.md, sample data/massnahmenplan-beispiel.xlsx). Every row is checked first; all
 * errors come back at once; then everything is written in one transaction, or nothing.
 */
import { Injectable } from '@nestjs/common';
import { PlanError } from './plan-errors.js';
import { AppConfig } from '../common/config/app-config.js';
import ExcelJS from 'exceljs';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { Goal } from '../framework/goal.entity.js';
import { Framework } from '../framework/framework.entity.js';
import {
  DEFAULT_VOCABULARY,
  type PlanVocabulary,
  resolvePlan,
  vocabularyOf,
} from '../framework/plans.service.js';
import { inPlanColumns, sheetName, unknownMessage } from './plan-words.js';
import { CreateMeasureDto } from '../measures/dto/measure.dto.js';
import { referenceErrors } from '../measures/measure-write-checks.js';
import { validateDto } from '../common/http/validation.js';
import { type MeasureLevel } from '../measures/measure.constants.js';
import { levelsOf, type PlanLevel } from '../framework/plan-shape.js';
import { Measure } from '../measures/measure.entity.js';
import { MeasuresService } from '../measures/measures.service.js';
import { addTableSheet, type ColumnSpec, DATE_FORMAT, EURO_FORMAT } from './workbook-style.js';
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

export const PLAN_SHEET = 'Maßnahmen';

export const PLAN_COLUMNS: (ColumnSpec & { required?: boolean })[] = [
  { header: 'Code', key: 'code', width: 10, required: true },
  { header: 'Titel', key: 'title', width: 44, required: true },
  { header: 'Beschreibung', key: 'description', width: 60 },
  { header: 'Handlungsfeld', key: 'actionField', width: 14, required: true },
  { header: 'Ziele', key: 'goals', width: 12, required: true },
  { header: 'Federführung', key: 'lead', width: 14, required: true },
  { header: 'Beteiligte Ressorts', key: 'participating', width: 18 },
  { header: 'Ebene', key: 'level', width: 14, required: true },
  { header: 'Zielgruppen', key: 'targetGroups', width: 30 },
  { header: 'Beginn', key: 'plannedStart', width: 12, style: { numFmt: DATE_FORMAT } },
  { header: 'Ende', key: 'plannedEnd', width: 12, style: { numFmt: DATE_FORMAT } },
  { header: 'Budget', key: 'budget', width: 14, style: { numFmt: EURO_FORMAT } },
];

/** The workbook column of each field of the measure DTO (for the messages of the DTO and the reference checks). */
const COLUMN_OF_FIELD: Record<string, string> = {
  code: 'code',
  title: 'title',
  description: 'description',
  actionFieldId: 'actionField',
  goalIds: 'goals',
  leadDepartmentId: 'lead',
  participatingDepartmentIds: 'participating',
  level: 'level',
  targetGroups: 'targetGroups',
  plannedStart: 'plannedStart',
  plannedEnd: 'plannedEnd',
  budget: 'budget',
};

export interface PlanChange {
  row: number;
  code: string;
  action: 'create' | 'update' | 'unchanged';
  fields: string[];
}

export interface PlanImportResult {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  changes: PlanChange[];
}

interface ParsedRow {
  row: number;
  dto: CreateMeasureDto & {
    description: string;
    participatingDepartmentIds: number[];
    targetGroups: string[];
  };
}

/** A level cell names the level by code or by name ("bremen", "Stadtgemeinde Bremen"). */
function levelsByText(levels: PlanLevel[]): Map<string, MeasureLevel> {
  return new Map(
    levels.flatMap((l) => [
      [l.code.toLowerCase(), l.code],
      [l.name.toLowerCase(), l.code],
    ]),
  );
}
const list = (text: string): string[] =>
  text
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter(Boolean);

@Injectable()
export class PlanImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly measures: MeasuresService,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
  ) {}

  /**
   * `onProgress`: how many rows are written of how many (a plan imported as a job shows it on its page);
   * `within` runs last inside the writing transaction (a job marks itself done there). The measures, fields
   * and goals are the plan's (`frameworkId`, see resolvePlan); the departments are the installation's.
   */
  async import(
    buffer: Buffer | undefined,
    actor: Actor,
    dryRun: boolean,
    onProgress?: (done: number, total: number) => void,
    within?: (manager: EntityManager, result: PlanImportResult) => Promise<void>,
    frameworkId?: number,
  ): Promise<PlanImportResult> {
    const plan = await resolvePlan(this.dataSource.manager, frameworkId);
    const workbook = await openWorkbook(buffer, uploadLimits(this.config));
    const rows = await this.parse(workbook, plan, await this.words(plan));
    const existing = new Map(
      (
        await this.dataSource.manager.find(Measure, {
          where: { frameworkId: plan },
          relations: { goals: true, participatingDepartments: true },
        })
      ).map((m) => [m.code, m]),
    );
    const changes: PlanChange[] = rows.map(({ row, dto }) => {
      const current = existing.get(dto.code);
      if (!current) return { row, code: dto.code, action: 'create', fields: [] };
      const fields = this.changedFields(current, dto);
      return { row, code: dto.code, action: fields.length ? 'update' : 'unchanged', fields };
    });
    const summary = (dry: boolean): PlanImportResult => ({
      dryRun: dry,
      created: changes.filter((c) => c.action === 'create').length,
      updated: changes.filter((c) => c.action === 'update').length,
      unchanged: changes.filter((c) => c.action === 'unchanged').length,
      changes,
    });
    if (dryRun) return summary(true);
    await RequestContext.withAudit({ action: 'plan_import' }, () =>
      this.transactions.run(async (manager) => {
        for (const [index, { dto }] of rows.entries()) {
          const current = existing.get(dto.code);
          if (!current) await this.measures.createWithin(manager, dto, actor);
          else if (this.changedFields(current, dto).length)
            await this.measures.updateWithin(manager, current.id, dto, actor);
          onProgress?.(index + 1, rows.length);
        }
        await within?.(manager, summary(false));
      }),
    );
    return summary(false);
  }

  /** A workbook with the plan's columns and the plan's measures as they are now: the sample and the export. */
  async export(frameworkId?: number): Promise<Buffer> {
    const plan = await resolvePlan(this.dataSource.manager, frameworkId);
    const words = await this.words(plan);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'Rahmenkonzept-Monitor';
    workbook.title = words.measures === DEFAULT_VOCABULARY.measures ? 'Maßnahmenplan' : words.measures;
    const sheet = addTableSheet(workbook, sheetName(words.measures), inPlanColumns(PLAN_COLUMNS, words));
    const measures = await this.dataSource.manager.find(Measure, {
      where: { frameworkId: plan },
      relations: { goals: true, participatingDepartments: true, actionField: true, leadDepartment: true },
      order: { sortKey: 'ASC', code: 'ASC' },
    });
    for (const m of measures.filter((x) => x.lifecycle !== 'merged')) {
      sheet.addRow({
        code: m.code,
        title: m.title,
        description: m.description,
        actionField: m.actionField?.code,
        goals: (m.goals ?? [])
          .map((g) => g.code)
          .sort()
          .join(', '),
        lead: m.leadDepartment?.code,
        participating: (m.participatingDepartments ?? [])
          .map((d) => d.code)
          .sort()
          .join(', '),
        level: m.level,
        targetGroups: m.targetGroups.join('; '),
        plannedStart: m.plannedStart ? new Date(`${m.plannedStart}T12:00:00Z`) : null,
        plannedEnd: m.plannedEnd ? new Date(`${m.plannedEnd}T12:00:00Z`) : null,
        budget: m.budget,
      });
    }
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  private async words(plan: number): Promise<PlanVocabulary> {
    return vocabularyOf(await this.dataSource.manager.findOneBy(Framework, { id: plan }));
  }

  /**
   * The rows of the plan's sheet. The sheet and its headers may say the plan's words or the Bremen words (a file
   * written before the plan had its own words); the messages say the plan's.
   */
  private async parse(workbook: ExcelJS.Workbook, plan: number, words: PlanVocabulary): Promise<ParsedRow[]> {
    const planSheet = sheetName(words.measures);
    const sheet = workbook.getWorksheet(planSheet) ?? workbook.getWorksheet(PLAN_SHEET);
    if (!sheet)
      throw fileRefused(
        PlanError.NO_SHEET,
        `Die Arbeitsmappe hat kein Blatt „${planSheet}“ (Aufbau siehe Beispieldatei).`,
      );
    const columns = inPlanColumns(PLAN_COLUMNS, words);
    const headers = PLAN_COLUMNS.map((_c, i) => cellText(sheet.getRow(1).getCell(i + 1)));
    const wrong = columns.filter((c, i) => headers[i] !== c.header && headers[i] !== PLAN_COLUMNS[i].header);
    if (wrong.length) {
      throw new WorkbookErrorsException(
        wrong.map((c) => ({
          sheet: sheet.name,
          row: 1,
          column: c.header,
          message: `Spaltenüberschrift „${c.header}“ erwartet.`,
        })),
        `Die Spalten entsprechen nicht dem Aufbau des Plans der ${words.measures}.`.replace(
          'des Plans der Maßnahmen',
          'des Maßnahmenplans',
        ),
      );
    }
    const manager = this.dataSource.manager;
    const byCode = (rows: { id: number; code: string }[]): Map<string, number> =>
      new Map(rows.map((e) => [e.code, e.id]));
    const [fields, goals, departments, framework] = await Promise.all([
      manager.findBy(ActionField, { frameworkId: plan }).then(byCode),
      manager.findBy(Goal, { frameworkId: plan }).then(byCode),
      manager.find(Department).then(byCode),
      manager.findOneBy(Framework, { id: plan }),
    ]);
    const levels = levelsOf(framework);
    const levelByText = levelsByText(levels);
    const errors: CellError[] = [];
    const parsed: ParsedRow[] = [];
    const seen = new Map<string, number>();
    // rowCount is the last row's number (the row cap bounds it); actualRowCount would miss rows after a gap.
    for (let rowNumber = 2; rowNumber <= sheet.rowCount; rowNumber++) {
      const row = sheet.getRow(rowNumber);
      const cell = (key: string): ExcelJS.Cell =>
        row.getCell(PLAN_COLUMNS.findIndex((c) => c.key === key) + 1);
      const text = (key: string): string => cellText(cell(key));
      if (PLAN_COLUMNS.every((c) => text(c.key) === '')) continue;
      const failed = new Set<string>();
      const fail = (key: string, message: string): void => {
        failed.add(key);
        errors.push({
          sheet: sheet.name,
          row: rowNumber,
          column: columns.find((c) => c.key === key)!.header,
          message,
        });
      };
      // What the workbook says in its own terms: empty required cells, codes and words to look up, dates.
      for (const column of PLAN_COLUMNS.filter((c) => c.required)) {
        if (text(column.key) === '') fail(column.key, 'Pflichtfeld ist leer.');
      }
      const code = text('code');
      if (code && seen.has(code)) fail('code', `Der Code ${code} steht schon in Zeile ${seen.get(code)}.`);
      if (code) seen.set(code, rowNumber);
      const fieldId = fields.get(text('actionField'));
      if (text('actionField') && fieldId === undefined)
        fail(
          'actionField',
          unknownMessage(words.field, 'field', 'Unbekanntes Handlungsfeld', text('actionField')),
        );
      const goalIds = list(text('goals')).map((g) => {
        const id = goals.get(g);
        if (id === undefined) fail('goals', unknownMessage(words.goal, 'goal', 'Unbekanntes Ziel', g));
        return id ?? 0;
      });
      const leadId = departments.get(text('lead'));
      if (text('lead') && leadId === undefined)
        fail('lead', unknownMessage(words.organisation, 'organisation', 'Unbekanntes Ressort', text('lead')));
      const participatingIds = list(text('participating')).map((d) => {
        const id = departments.get(d);
        if (id === undefined)
          fail('participating', unknownMessage(words.organisation, 'organisation', 'Unbekanntes Ressort', d));
        return id ?? 0;
      });
      const level = levelByText.get(text('level').toLowerCase());
      if (text('level') && !level)
        fail(
          'level',
          `Unbekannte Ebene „${text('level')}“; erlaubt: ${levels.map((l) => l.code).join(', ')}.`,
        );
      const plannedStart = cellDate(cell('plannedStart'));
      const plannedEnd = cellDate(cell('plannedEnd'));
      if (plannedStart === undefined)
        fail('plannedStart', `„${text('plannedStart')}“ ist kein Datum (TT.MM.JJJJ).`);
      if (plannedEnd === undefined)
        fail('plannedEnd', `„${text('plannedEnd')}“ ist kein Datum (TT.MM.JJJJ).`);
      const budget = cellNumber(cell('budget'));
      const dto = {
        code,
        title: text('title'),
        description: text('description'),
        actionFieldId: fieldId ?? 0,
        goalIds,
        leadDepartmentId: leadId ?? 0,
        participatingDepartmentIds: participatingIds,
        level: level ?? levels[0].code,
        targetGroups: list(text('targetGroups')),
        plannedStart: plannedStart ?? null,
        plannedEnd: plannedEnd ?? null,
        budget: budget === null || Number.isNaN(budget) ? null : Math.round(budget * 100) / 100,
      };
      // Then the rules of the API and the form: the measure DTO, and the references checked as on create.
      const { errors: fieldErrors } = await validateDto(CreateMeasureDto, dto);
      const references = failed.size ? [] : await referenceErrors(manager, dto);
      for (const { field, messages } of [...fieldErrors, ...references]) {
        const key = COLUMN_OF_FIELD[field] ?? 'code';
        if (failed.has(key)) continue; // already said in the workbook's terms
        for (const message of messages) fail(key, message);
      }
      parsed.push({ row: rowNumber, dto });
    }
    if (errors.length) throw new WorkbookErrorsException(errors);
    if (parsed.length === 0) throw fileRefused(PlanError.EMPTY, 'Die Arbeitsmappe enthält keine Maßnahmen.');
    return parsed;
  }

  private changedFields(current: Measure, dto: ParsedRow['dto']): string[] {
    const ids = (list: { id: number }[] | undefined): string =>
      JSON.stringify((list ?? []).map((x) => x.id).sort((a, b) => a - b));
    const sorted = (list: number[]): string => JSON.stringify([...list].sort((a, b) => a - b));
    const checks: [string, boolean][] = [
      ['title', current.title !== dto.title],
      ['description', current.description !== dto.description],
      ['actionFieldId', current.actionFieldId !== dto.actionFieldId],
      ['goalIds', ids(current.goals) !== sorted(dto.goalIds)],
      ['leadDepartmentId', current.leadDepartmentId !== dto.leadDepartmentId],
      [
        'participatingDepartmentIds',
        ids(current.participatingDepartments) !== sorted(dto.participatingDepartmentIds),
      ],
      ['level', current.level !== dto.level],
      ['targetGroups', JSON.stringify(current.targetGroups) !== JSON.stringify(dto.targetGroups)],
      ['plannedStart', current.plannedStart !== dto.plannedStart],
      ['plannedEnd', current.plannedEnd !== dto.plannedEnd],
      ['budget', (current.budget ?? null) !== (dto.budget ?? null)],
    ];
    return checks.filter(([, changed]) => changed).map(([field]) => field);
  }
}
