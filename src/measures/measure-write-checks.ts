/**
 * The checks that every write of a measure shares, whichever service writes it (catalogue, lifecycle,
 * decisions, imports, pages): the row loaded and locked for writing, the optimistic version, a unique code that
 * follows its plan's rule, its plan's levels and areas, and the referenced action field, goals, departments
 * and target groups.
 */
import { MeasureError } from './measure-errors.js';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { germanDate } from '../common/calendar-date.js';
import { conflict, notFound } from '../common/http/domain-errors.js';
import { type FieldError, InvalidInputException } from '../common/http/validation.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { Framework } from '../framework/framework.entity.js';
import { Goal } from '../framework/goal.entity.js';
import { Area } from '../framework/area.entity.js';
import { departmentsOutsidePlan } from '../framework/plan-departments.js';
import { levelsOf, measureCodeMessage, measureCodeRule } from '../framework/plan-shape.js';
import type { CreateMeasureDto } from './dto/measure.dto.js';
import { Measure } from './measure.entity.js';
import { planWord, planWords, said } from '../framework/request-words.js';

export type MeasureReferences = Pick<CreateMeasureDto, 'actionFieldId' | 'goalIds' | 'leadDepartmentId'> & {
  /** Checked against the plan's code rule when given (an update that keeps the code leaves it out). */
  code?: string;
  /** Checked against the plan's levels when given. */
  level?: string;
  /** Checked to be areas of the plan when given. */
  areaIds?: number[];
  participatingDepartmentIds?: number[];
  targetGroups?: string[];
  plannedStart?: string | null;
  plannedEnd?: string | null;
};

/** What a measure held before a change (it may keep a retired field or department), and its plan. */
export type PreviousReferences = Pick<
  MeasureReferences,
  'actionFieldId' | 'leadDepartmentId' | 'participatingDepartmentIds'
> & { frameworkId?: number };

/** Loads a measure for writing, locking its row on PostgreSQL (SQLite has one writer at a time anyway). */
export async function loadForUpdate(manager: EntityManager, id: number): Promise<Measure> {
  const lock =
    manager.connection.options.type === 'postgres' ? { mode: 'pessimistic_write' as const } : undefined;
  const measure = await manager.findOne(Measure, { where: { id }, lock });
  if (!measure) throw notFound(MeasureError.NOT_FOUND, `${planWords().measure} ${id} wurde nicht gefunden.`);
  return measure;
}

/** The version the client read must still be the current one; a stale version gets 409. */
export function assertVersion(measure: Measure, version: number): void {
  if (measure.version !== version) {
    throw conflict(
      MeasureError.STALE_VERSION,
      said(
        `Die Maßnahme ${measure.code} wurde inzwischen geändert (Version ${measure.version}, Ihre Version ${version}). Bitte laden Sie sie neu.`,
        (w) =>
          `${w.measure} ${measure.code} wurde inzwischen geändert (Version ${measure.version}, Ihre Version ${version}). Bitte laden Sie die Seite neu.`,
      ),
      { currentVersion: measure.version },
    );
  }
}

export function duplicateCode(code: string): Error {
  return conflict(
    MeasureError.CODE_EXISTS,
    said(
      `Eine Maßnahme mit dem Code ${code} gibt es bereits.`,
      (w) => `Den Code ${code} trägt in diesem Plan bereits ein Eintrag (${w.measure}).`,
    ),
  );
}

/**
 * Every referenced id must exist and still be part of the framework; every error is listed at once. A
 * measure may keep a field or department that a revision has retired since (`previous`), not move to one;
 * its field and goals belong to its plan (a new measure's plan is its field's).
 */
export async function checkReferences(
  manager: EntityManager,
  refs: MeasureReferences,
  previous?: PreviousReferences,
): Promise<void> {
  const errors = await referenceErrors(manager, refs, previous);
  if (errors.length) throw new InvalidInputException(errors);
}

/**
 * What is wrong with a measure's references and the fields that depend on each other (ids that do not
 * exist, the lead department also participating, unknown target groups, the end before the start): the
 * API and the Maßnahmenplan import list these the same way.
 */
export async function referenceErrors(
  manager: EntityManager,
  refs: MeasureReferences,
  previous?: PreviousReferences,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const w = planWords();
  const field = await manager.findOneBy(ActionField, { id: refs.actionFieldId });
  const plan = previous?.frameworkId ?? field?.frameworkId;
  if (!field) {
    errors.push({
      field: 'actionFieldId',
      messages: [`${w.field} ${refs.actionFieldId} gibt es nicht`],
    });
  } else if (field.frameworkId !== plan) {
    errors.push({
      field: 'actionFieldId',
      messages: [`${w.field} ${field.code} gehört zu einem anderen ${planWord()}`],
    });
  } else if (field.retiredOn && field.id !== previous?.actionFieldId) {
    errors.push({
      field: 'actionFieldId',
      messages: [
        `${w.field} ${field.code} ist seit ${germanDate(field.retiredOn)} nicht mehr Teil des ${planWord()}s`,
      ],
    });
  }
  const goals = await manager.findBy(Goal, { id: In(refs.goalIds) });
  const missingGoals = refs.goalIds.filter((g) => !goals.some((goal) => goal.id === g));
  if (missingGoals.length)
    errors.push({
      field: 'goalIds',
      messages: [`${said('Ziel(e)', (words) => words.goals)} ${missingGoals.join(', ')} gibt es nicht`],
    });
  const foreignGoals = plan === undefined ? [] : goals.filter((goal) => goal.frameworkId !== plan);
  if (foreignGoals.length) {
    errors.push({
      field: 'goalIds',
      messages: [
        `${said('Ziel(e)', (words) => words.goals)} ${foreignGoals.map((g) => g.code).join(', ')} gehören zu einem anderen ${planWord()}`,
      ],
    });
  }
  const departmentIds = [refs.leadDepartmentId, ...(refs.participatingDepartmentIds ?? [])];
  const departments = await manager.findBy(Department, { id: In(departmentIds) });
  const known = new Set(departments.map((d) => d.id));
  if (!known.has(refs.leadDepartmentId)) {
    errors.push({
      field: 'leadDepartmentId',
      messages: [`${w.organisation} ${refs.leadDepartmentId} gibt es nicht`],
    });
  }
  const missingDepartments = (refs.participatingDepartmentIds ?? []).filter((d) => !known.has(d));
  if (missingDepartments.length) {
    errors.push({
      field: 'participatingDepartmentIds',
      messages: [
        `${said('Ressort(s)', (words) => words.organisations)} ${missingDepartments.join(', ')} gibt es nicht`,
      ],
    });
  }
  const kept = new Set([previous?.leadDepartmentId, ...(previous?.participatingDepartmentIds ?? [])]);
  const outside = new Set(
    plan === undefined
      ? []
      : await departmentsOutsidePlan(
          manager,
          plan,
          departments.map((d) => d.id),
        ),
  );
  for (const d of departments.filter((d) => outside.has(d.id) && !kept.has(d.id))) {
    errors.push({
      field: d.id === refs.leadDepartmentId ? 'leadDepartmentId' : 'participatingDepartmentIds',
      messages: [`${w.organisation} ${d.code} nimmt an diesem ${planWord()} nicht teil`],
    });
  }
  const retired = departments.filter((d) => d.retiredOn && !kept.has(d.id));
  for (const d of retired) {
    errors.push({
      field: d.id === refs.leadDepartmentId ? 'leadDepartmentId' : 'participatingDepartmentIds',
      messages: [
        `${w.organisation} ${d.code} ist seit ${germanDate(d.retiredOn!)} nicht mehr Teil des ${planWord()}s`,
      ],
    });
  }
  if (refs.participatingDepartmentIds?.includes(refs.leadDepartmentId)) {
    errors.push({
      field: 'participatingDepartmentIds',
      messages: [
        said(
          'Das federführende Ressort kann nicht zugleich beteiligt sein',
          (words) => `Wer federführend ist (${words.organisation}), kann nicht zugleich beteiligt sein`,
        ),
      ],
    });
  }
  const framework = plan === undefined ? null : await manager.findOneBy(Framework, { id: plan });
  if (framework)
    errors.push(...shapeErrors(framework, refs, await manager.findBy(Area, { frameworkId: plan })));
  if (refs.targetGroups?.length) {
    const allowed = new Set(framework?.targetGroups ?? []);
    const unknown = refs.targetGroups.filter((t) => !allowed.has(t));
    if (unknown.length) {
      errors.push({
        field: 'targetGroups',
        messages: [`unbekannte Zielgruppe(n): ${unknown.join(', ')}; erlaubt: ${[...allowed].join(', ')}`],
      });
    }
  }
  if (refs.plannedStart && refs.plannedEnd && refs.plannedEnd < refs.plannedStart) {
    errors.push({ field: 'plannedEnd', messages: ['darf nicht vor dem geplanten Beginn liegen'] });
  }
  return errors;
}

/**
 * What the plan's shape says against a measure: its code must follow the plan's rule (the error names the
 * plan's example), its level must be one of the plan's levels, its areas must be the plan's.
 */
function shapeErrors(
  framework: Framework,
  refs: Pick<MeasureReferences, 'code' | 'level' | 'areaIds'>,
  areas: Area[],
): FieldError[] {
  const errors: FieldError[] = [];
  if (refs.code !== undefined) {
    const rule = measureCodeRule(framework);
    if (!rule.pattern.test(refs.code)) errors.push({ field: 'code', messages: [measureCodeMessage(rule)] });
  }
  if (refs.level !== undefined) {
    const levels = levelsOf(framework);
    if (!levels.some((l) => l.code === refs.level)) {
      errors.push({
        field: 'level',
        messages: [
          `unbekannte Ebene „${refs.level}“; erlaubt: ${levels.map((l) => `${l.code} (${l.name})`).join(', ')}`,
        ],
      });
    }
  }
  if (refs.areaIds?.length) {
    const own = new Set(areas.map((a) => a.id));
    const foreign = refs.areaIds.filter((id) => !own.has(id));
    if (foreign.length) {
      errors.push({
        field: 'areaIds',
        messages: [
          areas.length
            ? `Gebiet(e) ${foreign.join(', ')} gehören nicht zu diesem Plan; erlaubt: ${areas.map((a) => `${a.id} (${a.name})`).join(', ')}`
            : `Gebiet(e) ${foreign.join(', ')}: dieser Plan hat keine Gebiete`,
        ],
      });
    }
  }
  return errors;
}
