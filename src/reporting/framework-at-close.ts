/**
 * The framework as it stood when a cycle was closed: goals, action fields, departments and bodies with their
 * codes, titles and order. Kept in the cycle's snapshot, so that the report and the dashboard of a closed cycle
 * show them as they were, whatever revisions (Fortschreibungen) renamed, split or merged since.
 */
import type { EntityManager } from 'typeorm';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { planDepartments } from '../framework/plan-departments.js';
import { Goal } from '../framework/goal.entity.js';
import { GovernanceBody } from '../governance/governance-body.entity.js';
import { FrameworkRevision } from '../framework/revisions/framework-revision.entity.js';
import { Indicator, type IndicatorDirection } from '../indicators/indicator.entity.js';
import type { CycleSnapshot } from './cycle-snapshot.entity.js';

export interface FrozenEntry {
  id: number;
  code: string;
  title: string;
  sortOrder: number;
}

/** An indicator's definition at the close (its values carry their own dates). */
export interface FrozenIndicator {
  code: string;
  name: string;
  definition: string;
  unit: string;
  source: string;
  actionFieldCode: string | null;
  direction: IndicatorDirection;
  baselineYear: number | null;
  baselineValue: number | null;
  baselineNote: string;
  targetYear: number | null;
  targetValue: number | null;
}

export interface FrameworkAtClose {
  version: string;
  goals: FrozenEntry[];
  actionFields: FrozenEntry[];
  departments: (FrozenEntry & { name: string })[];
  /** Description and cadence missing in snapshots taken before they were kept. */
  bodies: (FrozenEntry & { description?: string; min?: number; max?: number | null })[];
  /** Missing in snapshots taken before indicators were kept. */
  indicators?: FrozenIndicator[];
}

/**
 * The goals, fields, departments and bodies as the tables hold them now: without the retired fields and
 * departments, or, with `keepRetired`, with them (for a closed cycle whose snapshot did not keep its framework).
 * With `frameworkId`, the goals, fields, bodies and organisations of that plan.
 */
export async function currentFrameworkEntries(
  manager: EntityManager,
  options: { keepRetired?: boolean; frameworkId?: number } = {},
): Promise<Omit<FrameworkAtClose, 'version'>> {
  const order = { sortOrder: 'ASC', id: 'ASC' } as const;
  const where = options.frameworkId === undefined ? {} : { frameworkId: options.frameworkId };
  // One after another: inside a transaction the manager has one connection, which takes one query at a time.
  const goals = await manager.find(Goal, { where, order });
  const fields = await manager.find(ActionField, { where, order });
  // A plan's organisations out of the shared directory (those taking part, and any leading one of its measures).
  const departments =
    options.frameworkId === undefined
      ? await manager.find(Department, { order })
      : await planDepartments(manager, options.frameworkId);
  const bodies = await manager.find(GovernanceBody, { where, order });
  const entry = (e: { id: number; code: string; sortOrder: number }, title: string): FrozenEntry => ({
    id: e.id,
    code: e.code,
    title,
    sortOrder: e.sortOrder,
  });
  const counts = (e: { retiredOn: string | null }) => options.keepRetired || !e.retiredOn;
  return {
    goals: goals.map((g) => entry(g, g.title)),
    actionFields: fields.filter(counts).map((f) => entry(f, f.title)),
    departments: departments.filter(counts).map((d) => ({ ...entry(d, d.name), name: d.name })),
    bodies: bodies.map((b) => ({
      ...entry(b, b.name),
      description: b.description,
      min: b.minMeetingsPerYear,
      max: b.maxMeetingsPerYear,
    })),
  };
}

/** What a snapshot keeps of the framework at the close. */
export async function freezeFramework(
  manager: EntityManager,
  version: string,
  frameworkId?: number,
): Promise<FrameworkAtClose> {
  const indicators = await manager.find(Indicator, {
    where: frameworkId === undefined ? {} : { frameworkId },
    relations: { actionField: true },
    order: { code: 'ASC' },
  });
  return {
    version,
    ...(await currentFrameworkEntries(manager, { frameworkId })),
    indicators: indicators.map((i) => ({
      code: i.code,
      name: i.name,
      definition: i.definition,
      unit: i.unit,
      source: i.source,
      actionFieldCode: i.actionField?.code ?? null,
      direction: i.direction,
      baselineYear: i.baselineYear,
      baselineValue: i.baselineValue,
      baselineNote: i.baselineNote,
      targetYear: i.targetYear,
      targetValue: i.targetValue,
    })),
  };
}

/**
 * The goals, fields and departments a cycle's figures are listed by: those frozen at its close, or the current
 * ones for an open cycle. A snapshot older than this record (no framework kept) is listed by the tables as they
 * are, retired fields and departments included, since its items still point at them; the fields and
 * departments that revisions applied after the close brought in are left out.
 */
export async function frameworkEntriesFor(
  manager: EntityManager,
  snapshot: Pick<CycleSnapshot, 'framework' | 'takenAt'> | null,
  frameworkId?: number,
): Promise<Omit<FrameworkAtClose, 'version'>> {
  if (snapshot?.framework) return snapshot.framework;
  if (!snapshot) return currentFrameworkEntries(manager, { frameworkId });
  const entries = await currentFrameworkEntries(manager, { keepRetired: true, frameworkId });
  const later = await newSince(manager, snapshot.takenAt, frameworkId);
  return {
    ...entries,
    actionFields: entries.actionFields.filter((f) => !later.fields.has(f.code)),
    departments: entries.departments.filter((d) => !later.departments.has(d.code)),
  };
}

/** The codes of the fields and departments that revisions (of the plan, if given) recorded after `since` created. */
async function newSince(
  manager: EntityManager,
  since: Date,
  frameworkId?: number,
): Promise<{ fields: Set<string>; departments: Set<string> }> {
  const query = manager.createQueryBuilder(FrameworkRevision, 'r').where('r.appliedAt > :since', { since });
  if (frameworkId !== undefined) query.andWhere('r.frameworkId = :frameworkId', { frameworkId });
  const revisions = await query.getMany();
  const fields = new Set<string>();
  const departments = new Set<string>();
  for (const change of revisions.flatMap((r) => r.changes)) {
    const created = [
      ...(change.kind.startsWith('add_') && change.code ? [change.code] : []),
      ...(change.kind.startsWith('split_') ? (change.parts ?? []).map((p) => p.code) : []),
      ...(change.kind.startsWith('merge_') && change.into && !(change.codes ?? []).includes(change.into.code)
        ? [change.into.code]
        : []),
    ];
    const target = change.kind.endsWith('field') || change.kind.endsWith('fields') ? fields : departments;
    if (change.kind.includes('field') || change.kind.includes('department'))
      for (const code of created) target.add(code);
  }
  return { fields, departments };
}
