/**
 * Carries out the changes of one revision inside a transaction: each change in order, every write through
 * the entity manager (so the audit subscriber records it), and what it touched collected for the preview. The
 * service (framework-revisions.service.ts) wraps it in the transaction and rolls it back for a dry run.
 */
import { In, IsNull, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { conflict, invalid } from '../../common/http/domain-errors.js';
import { Membership } from '../../auth/membership.entity.js';
import { User } from '../../auth/user.entity.js';
import { type BodyMember, GovernanceBody } from '../../governance/governance-body.entity.js';
import { Indicator } from '../../indicators/indicator.entity.js';
import { countedSql, isCounted } from '../../measures/measure-rules.js';
import { naturalSortKey } from '../../measures/measure.constants.js';
import { Measure } from '../../measures/measure.entity.js';
import { ActionField } from '../action-field.entity.js';
import { Area, FrameworkDepartment } from '../area.entity.js';
import { Department } from '../department.entity.js';
import { DEFAULT_INDICATOR_GROUPS } from '../framework-defaults.js';
import { FrameworkError } from '../framework-errors.js';
import { Framework } from '../framework.entity.js';
import { Goal } from '../goal.entity.js';
import type { RevisionEffects } from './framework-revision.entity.js';
import type { MeasureHistory } from './measure-history.entity.js';
import { CHANGE_KIND_LABELS, type RevisionChange, type RevisionPartDto } from './revision-changes.js';
import { type AreaEntry, DEFAULT_LEVELS, measureCodeProblems, rhythmLabel } from '../framework-file.js';
import { DEFAULT_VOCABULARY, type PlanVocabulary, vocabularyOf } from '../plans.service.js';
import { begunInPlanWords, wordedIn } from '../request-words.js';
import { dativePlural } from '../../web/format.js';

/** A measure's place before the revision touched it. */
interface Place {
  code: string;
  field: string;
  department: string;
}

const quote = (text: string): string => `„${text}“`;

export class RevisionWork {
  readonly effects: RevisionEffects = { lines: [], measures: [], accounts: [], bodies: [] };
  /** Measures moved, with where they were before this revision (the first touch counts). */
  private readonly moved = new Map<number, { measure: Measure; before: Place }>();
  private index = 0;
  private readonly fieldCodes = new Map<number, string>();
  private readonly departmentCodes = new Map<number, string>();
  /** The revised plan's words, for the lines and problems this run says. */
  private words: PlanVocabulary = DEFAULT_VOCABULARY;

  constructor(
    private readonly manager: EntityManager,
    private readonly effectiveDate: string,
    /** The plan revised: what the revision adds belongs to it. */
    private readonly frameworkId: number,
  ) {}

  async run(changes: RevisionChange[], framework: Framework): Promise<void> {
    this.words = vocabularyOf(framework);
    for (const f of await this.manager.find(ActionField, { where: { frameworkId: this.frameworkId } }))
      this.fieldCodes.set(f.id, f.code);
    for (const d of await this.manager.find(Department)) this.departmentCodes.set(d.id, d.code);
    for (const [i, change] of changes.entries()) {
      this.index = i;
      await this.apply(change, framework);
    }
  }

  /** The history entries of the moved measures (revision id to be filled in). */
  history(reason: string): Omit<MeasureHistory, 'id' | 'revisionId' | 'createdAt'>[] {
    return [...this.moved.values()]
      .map(({ measure, before }) => ({
        measureId: measure.id,
        effectiveDate: this.effectiveDate,
        codeBefore: before.code,
        codeAfter: measure.code,
        actionFieldCodeBefore: before.field,
        actionFieldCodeAfter: this.fieldCodes.get(measure.actionFieldId) ?? '',
        leadDepartmentCodeBefore: before.department,
        leadDepartmentCodeAfter: this.departmentCodes.get(measure.leadDepartmentId) ?? '',
        reason: reason.slice(0, 4000),
      }))
      .filter(
        (h) =>
          h.codeBefore !== h.codeAfter ||
          h.actionFieldCodeBefore !== h.actionFieldCodeAfter ||
          h.leadDepartmentCodeBefore !== h.leadDepartmentCodeAfter,
      );
  }

  /** The measures list of the effects, from the moves (called once at the end). */
  collectMeasureEffects(): void {
    for (const h of this.history('')) {
      this.effects.measures.push({
        id: h.measureId,
        code: h.codeAfter,
        from: `${h.codeBefore} (${this.words.field} ${h.actionFieldCodeBefore}, ${h.leadDepartmentCodeBefore})`,
        to: `${h.codeAfter} (${this.words.field} ${h.actionFieldCodeAfter}, ${h.leadDepartmentCodeAfter})`,
      });
    }
  }

  private problem(message: string): never {
    throw invalid(
      FrameworkError.REVISION_INVALID,
      `Änderung ${this.index + 1}: ${begunInPlanWords(message, this.words)}`,
    );
  }

  private need<T>(value: T | undefined | null, what: string, kind: RevisionChange['kind']): T {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
      this.problem(`${what} fehlt (nötig für ${CHANGE_KIND_LABELS[kind]})`);
    }
    return value;
  }

  /** Bremen's text, or the neutral one in the revised plan's words. */
  private say(own: string, neutral: (words: PlanVocabulary) => string): string {
    return wordedIn(this.words, own, neutral(this.words));
  }

  private line(text: string): void {
    this.effects.lines.push(begunInPlanWords(text, this.words));
  }

  private async apply(change: RevisionChange, framework: Framework): Promise<void> {
    switch (change.kind) {
      case 'update_framework':
        return this.updateFramework(change, framework);
      case 'add_goal':
        return this.addGoal(change);
      case 'update_goal':
        return this.updateGoal(change);
      case 'add_field':
        return this.addField(change);
      case 'update_field':
        return this.updateField(change);
      case 'retire_field':
        return this.retireField(change);
      case 'split_field':
        return this.splitField(change);
      case 'merge_fields':
        return this.mergeFields(change);
      case 'add_department':
        return this.addDepartment(change);
      case 'update_department':
        return this.updateDepartment(change);
      case 'retire_department':
        return this.retireDepartment(change);
      case 'split_department':
        return this.splitDepartment(change);
      case 'merge_departments':
        return this.mergeDepartments(change);
      case 'add_body':
        return this.addBody(change);
      case 'update_body':
        return this.updateBody(change);
      case 'set_indicator':
        return this.setIndicator(change);
    }
  }

  // --- framework and goals ---------------------------------------------------------------------------

  private async updateFramework(change: RevisionChange, framework: Framework): Promise<void> {
    const values: Partial<Framework> = {};
    const named: string[] = [];
    if (change.name !== undefined) values.name = change.name;
    if (change.region !== undefined) values.region = change.region;
    if (change.adopted !== undefined) values.adopted = change.adopted;
    if (change.staleAfterDays !== undefined) values.staleAfterDays = change.staleAfterDays;
    if (change.targetGroups !== undefined) values.targetGroups = change.targetGroups;
    named.push(...Object.keys(values));
    if (change.vocabulary !== undefined) {
      values.vocabulary = { ...change.vocabulary };
      named.push('vocabulary');
    }
    if (change.measureCode !== undefined) {
      const problem = measureCodeProblems(change.measureCode)[0];
      if (problem) this.problem(problem);
      values.measureCodePattern = change.measureCode.pattern;
      values.measureCodeExample = change.measureCode.example;
      named.push('measureCode');
    }
    if (change.reportingRhythm !== undefined) {
      values.reportingRhythmMonths = change.reportingRhythm.months;
      values.reportingRhythmLabel = rhythmLabel(change.reportingRhythm);
      named.push('reportingRhythm');
    }
    if (change.levels !== undefined) {
      values.levels = change.levels.map((l) => ({ code: l.code, name: l.name }));
      named.push('levels');
    }
    if (change.areas !== undefined) {
      await this.setAreas(change.areas, change.levels ?? framework.levels ?? DEFAULT_LEVELS);
      named.push('areas');
    }
    if (named.length === 0) this.problem('keine Angabe zum Rahmenkonzept');
    Object.assign(framework, values);
    this.line(`Rahmenkonzept: ${named.join(', ')} geändert`);
  }

  /** The plan's areas: new ones added, known ones renamed or moved; none removed (measures may name them). */
  private async setAreas(areas: AreaEntry[], levels: readonly { code: string }[]): Promise<void> {
    const known = new Map(
      (await this.manager.find(Area, { where: { frameworkId: this.frameworkId } })).map((a) => [a.code, a]),
    );
    const levelCodes = new Set(levels.map((l) => l.code));
    for (const [i, entry] of areas.entries()) {
      if (entry.level !== undefined && !levelCodes.has(entry.level))
        this.problem(`areas[${i}].level: unbekannte Ebene "${entry.level}"`);
      const values = { name: entry.name, levelCode: entry.level ?? null, sortOrder: i + 1 };
      const area = known.get(entry.code);
      if (area) await this.manager.save(Area, Object.assign(area, values));
      else
        await this.manager.save(
          Area,
          this.manager.create(Area, { ...values, frameworkId: this.frameworkId, code: entry.code }),
        );
    }
    const missing = [...known.keys()].filter((code) => !areas.some((a) => a.code === code));
    if (missing.length)
      this.problem(`areas: Gebiet(e) ${missing.join(', ')} fehlen; Gebiete werden nicht entfernt`);
  }

  private async goal(code: string | undefined, kind: RevisionChange['kind']): Promise<Goal> {
    const goal = await this.manager.findOneBy(Goal, {
      frameworkId: this.frameworkId,
      code: this.need(code, 'code', kind),
    });
    if (!goal) this.problem(`unbekanntes Ziel "${code}"`);
    return goal;
  }

  private async addGoal(change: RevisionChange): Promise<void> {
    const code = this.need(change.code, 'code', change.kind);
    if (await this.manager.existsBy(Goal, { frameworkId: this.frameworkId, code }))
      this.problem(`Ziel ${code} gibt es bereits`);
    const title = this.need(change.title, 'title', change.kind);
    await this.manager.save(
      Goal,
      this.manager.create(Goal, {
        frameworkId: this.frameworkId,
        code,
        title,
        description: change.description ?? '',
        sortOrder: change.sortOrder ?? (await this.nextSortOrder(Goal)),
      }),
    );
    this.line(`Ziel ${code} ${quote(title)} neu`);
  }

  private async updateGoal(change: RevisionChange): Promise<void> {
    const goal = await this.goal(change.code, change.kind);
    this.describeUpdate('Ziel', goal.code, goal.title, change.title, goal.description, change.description);
    if (change.title !== undefined) goal.title = change.title;
    if (change.description !== undefined) goal.description = change.description;
    if (change.sortOrder !== undefined) goal.sortOrder = change.sortOrder;
    await this.manager.save(Goal, goal);
  }

  private describeUpdate(
    what: string,
    code: string,
    oldTitle: string,
    newTitle: string | undefined,
    oldDescription: string,
    newDescription: string | undefined,
  ): void {
    const parts: string[] = [];
    if (newTitle !== undefined && newTitle !== oldTitle)
      parts.push(`${quote(oldTitle)} → ${quote(newTitle)}`);
    if (newDescription !== undefined && newDescription !== oldDescription)
      parts.push('Beschreibung geändert');
    if (newTitle === undefined && newDescription === undefined)
      this.problem('title (oder name) oder description fehlt');
    this.line(`${what} ${code}: ${parts.length ? parts.join('; ') : 'unverändert'}`);
  }

  private async nextSortOrder(entity: typeof Goal | typeof ActionField | typeof Department): Promise<number> {
    const rows: { sortOrder: number }[] = await this.manager.find(entity, { select: { sortOrder: true } });
    return rows.reduce((max, r) => Math.max(max, r.sortOrder), 0) + 1;
  }

  // --- action fields ---------------------------------------------------------------------------------

  private async field(code: string | undefined, kind: RevisionChange['kind']): Promise<ActionField> {
    const field = await this.manager.findOneBy(ActionField, {
      frameworkId: this.frameworkId,
      code: this.need(code, 'code', kind),
    });
    if (!field) this.problem(`unbekanntes Handlungsfeld "${code}"`);
    if (field.retiredOn) this.problem(`Handlungsfeld ${code} ist seit ${field.retiredOn} aufgehoben`);
    return field;
  }

  private async newField(part: RevisionPartDto, sortOrder: number): Promise<ActionField> {
    if (await this.manager.existsBy(ActionField, { frameworkId: this.frameworkId, code: part.code }))
      this.problem(`Handlungsfeld ${part.code} gibt es bereits`);
    const title =
      part.title ??
      this.problem(
        this.say(
          `title des Handlungsfelds ${part.code} fehlt`,
          (w) => `title (${w.field} ${part.code}) fehlt`,
        ),
      );
    const field = await this.manager.save(
      ActionField,
      this.manager.create(ActionField, {
        frameworkId: this.frameworkId,
        code: part.code,
        title,
        description: part.description ?? '',
        sortOrder,
        retiredOn: null,
      }),
    );
    this.fieldCodes.set(field.id, field.code);
    return field;
  }

  private async addField(change: RevisionChange): Promise<void> {
    const code = this.need(change.code, 'code', change.kind);
    const field = await this.newField(
      { code, title: this.need(change.title, 'title', change.kind), description: change.description },
      change.sortOrder ?? (await this.nextSortOrder(ActionField)),
    );
    this.line(`Handlungsfeld ${field.code} ${quote(field.title)} neu`);
  }

  private async updateField(change: RevisionChange): Promise<void> {
    const field = await this.field(change.code, change.kind);
    this.describeUpdate(
      'Handlungsfeld',
      field.code,
      field.title,
      change.title,
      field.description,
      change.description,
    );
    if (change.title !== undefined) field.title = change.title;
    if (change.description !== undefined) field.description = change.description;
    if (change.sortOrder !== undefined) field.sortOrder = change.sortOrder;
    await this.manager.save(ActionField, field);
  }

  /**
   * The measures the revision may move, their rows locked on PostgreSQL until it commits (SQLite has one writer
   * at a time anyway): an edit of one of them waits, then finds its version raised and is refused as stale,
   * instead of the move overwriting it or it overwriting the move.
   */
  private async measuresWhere(where: FindOptionsWhere<Measure>): Promise<Measure[]> {
    const lock =
      this.manager.connection.options.type === 'postgres'
        ? { mode: 'pessimistic_write' as const }
        : undefined;
    return this.fresh(await this.manager.find(Measure, { where, order: { id: 'ASC' }, lock }));
  }

  /** The measures of a field or department that count in its figures (active or discontinued, not merged). */
  private counted(column: 'actionFieldId' | 'leadDepartmentId', id: number): Promise<Measure[]> {
    return this.manager
      .createQueryBuilder(Measure, 'm')
      .where(`m.${column} = :id`, { id })
      .andWhere(countedSql('"m"'))
      .getMany();
  }

  private async retire<T extends ActionField | Department>(entity: new () => T, row: T): Promise<void> {
    row.retiredOn = this.effectiveDate;
    await this.manager.save(entity, row);
  }

  private activeList(measures: Measure[]): string {
    const codes = measures
      .map((m) => m.code)
      .sort((a, b) => naturalSortKey(a).localeCompare(naturalSortKey(b)));
    return codes.length > 10
      ? `${codes.slice(0, 10).join(', ')} und ${codes.length - 10} weitere`
      : codes.join(', ');
  }

  private async retireField(change: RevisionChange): Promise<void> {
    const field = await this.field(change.code, change.kind);
    const counted = await this.counted('actionFieldId', field.id);
    if (counted.length) {
      throw conflict(
        FrameworkError.FIELD_HAS_ACTIVE_MEASURES,
        `Änderung ${this.index + 1}: Handlungsfeld ${field.code} kann nicht aufgehoben werden, solange ihm Maßnahmen zugeordnet sind, die in seinen Zahlen mitzählen (aktive und eingestellte): ${this.activeList(counted)}. Sie müssen zuerst einem anderen Handlungsfeld zugeordnet werden (Teilung oder Zusammenlegung).`,
      );
    }
    await this.retire(ActionField, field);
    this.line(`Handlungsfeld ${field.code} ${quote(field.title)} aufgehoben`);
  }

  /** Moves a measure (field, lead department, code), remembering where it was before this revision. */
  private async moveMeasure(
    measure: Measure,
    to: { actionFieldId?: number; leadDepartmentId?: number; code?: string },
  ): Promise<void> {
    const known = this.moved.get(measure.id);
    const current = known?.measure ?? measure;
    if (!known) {
      this.moved.set(measure.id, {
        measure: current,
        before: {
          code: current.code,
          field: this.fieldCodes.get(current.actionFieldId) ?? '',
          department: this.departmentCodes.get(current.leadDepartmentId) ?? '',
        },
      });
    }
    if (to.code && to.code !== current.code) {
      const taken = await this.manager.findOneBy(Measure, { frameworkId: this.frameworkId, code: to.code });
      if (taken && taken.id !== current.id)
        throw conflict(
          FrameworkError.MEASURE_CODE_TAKEN,
          `Änderung ${this.index + 1}: Der Maßnahmen-Code ${to.code} ist schon vergeben (Maßnahme ${taken.id}).`,
        );
      current.code = to.code;
      current.sortKey = naturalSortKey(to.code);
    }
    if (to.actionFieldId !== undefined) current.actionFieldId = to.actionFieldId;
    if (to.leadDepartmentId !== undefined) current.leadDepartmentId = to.leadDepartmentId;
    current.version += 1;
    await this.manager.save(Measure, current);
  }

  /** The measures of a field or department, with the copy already moved in this revision when there is one. */
  private fresh(measures: Measure[]): Measure[] {
    return measures.map((m) => this.moved.get(m.id)?.measure ?? m);
  }

  private assignments(change: RevisionChange): Map<string, { to?: string; newCode?: string }> {
    const map = new Map<string, { to?: string; newCode?: string }>();
    for (const a of change.measures ?? []) {
      if (map.has(a.measureCode)) this.problem(`Maßnahme ${a.measureCode} ist doppelt zugeordnet`);
      map.set(a.measureCode, { to: a.to, newCode: a.newCode });
    }
    return map;
  }

  private checkAssigned(assigned: Map<string, unknown>, measures: Measure[], what: string): void {
    const codes = new Set(measures.map((m) => m.code));
    const unknown = [...assigned.keys()].filter((code) => !codes.has(code));
    if (unknown.length) this.problem(`Maßnahme(n) ${unknown.join(', ')} gehören nicht zu ${what}`);
  }

  private async splitField(change: RevisionChange): Promise<void> {
    const source = await this.field(change.code, change.kind);
    const parts = this.need(change.parts, 'parts', change.kind);
    const measures = await this.measuresWhere({ actionFieldId: source.id });
    const assigned = this.assignments(change);
    this.checkAssigned(assigned, measures, `Handlungsfeld ${source.code}`);
    // Every measure that counts in the field's figures is assigned; merged ones follow the first part.
    const missing = measures.filter((m) => isCounted(m.lifecycle) && !assigned.get(m.code)?.to);
    if (missing.length)
      this.problem(
        this.say(
          `jede aktive oder eingestellte Maßnahme des Handlungsfelds ${source.code} muss einem der neuen Handlungsfelder zugeordnet werden; es fehlen: ${this.activeList(missing)}`,
          (w) =>
            `${w.measures} (aktiv oder eingestellt) aus ${w.field} ${source.code} müssen den neuen ${dativePlural(w.fields)} zugeordnet werden; es fehlen: ${this.activeList(missing)}`,
        ),
      );
    const created = new Map<string, ActionField>();
    for (const part of parts) created.set(part.code, await this.newField(part, source.sortOrder));
    for (const measure of measures) {
      const a = assigned.get(measure.code);
      const target = a?.to ? created.get(a.to) : created.get(parts[0].code);
      if (!target)
        this.problem(
          this.say(
            `Maßnahme ${measure.code}: ${a?.to} ist keines der neuen Handlungsfelder`,
            (w) =>
              `${w.measure} ${measure.code}: ${a?.to} gehört nicht zu den neuen ${dativePlural(w.fields)}`,
          ),
        );
      await this.moveMeasure(measure, { actionFieldId: target.id, code: a?.newCode });
    }
    await this.moveIndicators([source.id], created.get(parts[0].code)!.id);
    await this.retire(ActionField, source);
    this.line(
      `Handlungsfeld ${source.code} ${quote(source.title)} geteilt in ${parts.map((p) => `${p.code} ${quote(p.title ?? '')}`).join(', ')}`,
    );
  }

  private async mergeFields(change: RevisionChange): Promise<void> {
    const codes = this.need(change.codes, 'codes', change.kind);
    const into = this.need(change.into, 'into', change.kind);
    const sources: ActionField[] = [];
    for (const code of codes) sources.push(await this.field(code, change.kind));
    let target = sources.find((f) => f.code === into.code);
    if (target) {
      if (into.title !== undefined) target.title = into.title;
      if (into.description !== undefined) target.description = into.description;
      target = await this.manager.save(ActionField, target);
    } else {
      target = await this.newField(into, Math.min(...sources.map((s) => s.sortOrder)));
    }
    const assigned = this.assignments(change);
    const others = sources.filter((s) => s.id !== target.id);
    const measures = await this.measuresWhere({ actionFieldId: In(sources.map((s) => s.id)) });
    this.checkAssigned(assigned, measures, `den zusammengelegten Handlungsfeldern`);
    for (const measure of measures) {
      const a = assigned.get(measure.code);
      if (measure.actionFieldId === target.id && !a?.newCode) continue;
      await this.moveMeasure(measure, { actionFieldId: target.id, code: a?.newCode });
    }
    await this.moveIndicators(
      others.map((s) => s.id),
      target.id,
    );
    for (const source of others) await this.retire(ActionField, source);
    this.line(`Handlungsfelder ${codes.join(', ')} zusammengelegt zu ${target.code} ${quote(target.title)}`);
  }

  private async moveIndicators(fromIds: number[], toId: number): Promise<void> {
    if (fromIds.length === 0) return;
    for (const indicator of await this.manager.find(Indicator, { where: { actionFieldId: In(fromIds) } })) {
      indicator.actionFieldId = toId;
      await this.manager.save(Indicator, indicator);
      this.line(`Indikator ${indicator.code} → Handlungsfeld ${this.fieldCodes.get(toId)}`);
    }
  }

  // --- departments -----------------------------------------------------------------------------------

  /** The other plans the organisation takes part in (the directory is shared by all plans). */
  private async otherPlans(department: Department): Promise<string[]> {
    const links = await this.manager.find(FrameworkDepartment, { where: { departmentId: department.id } });
    const others = links.map((l) => l.frameworkId).filter((id) => id !== this.frameworkId);
    if (others.length === 0) return [];
    return (await this.manager.find(Framework, { where: { id: In(others) }, order: { id: 'ASC' } })).map(
      (f) => f.name,
    );
  }

  /** Refuses a change of an organisation that other plans also use (the directory is shared by all plans). */
  private async refuseShared(department: Department, what: string): Promise<void> {
    const others = await this.otherPlans(department);
    if (others.length)
      this.problem(
        `Ressort ${department.code} ${quote(department.name)} nimmt auch an ${others.map(quote).join(', ')} teil; ${what}`,
      );
  }

  private async link(department: Department, sortOrder: number): Promise<void> {
    if (
      await this.manager.existsBy(FrameworkDepartment, {
        frameworkId: this.frameworkId,
        departmentId: department.id,
      })
    )
      return;
    await this.manager.insert(FrameworkDepartment, {
      frameworkId: this.frameworkId,
      departmentId: department.id,
      sortOrder,
    });
  }

  private async department(code: string | undefined, kind: RevisionChange['kind']): Promise<Department> {
    const department = await this.manager.findOneBy(Department, { code: this.need(code, 'code', kind) });
    if (!department) this.problem(`unbekanntes Ressort "${code}"`);
    if (department.retiredOn) this.problem(`Ressort ${code} ist seit ${department.retiredOn} aufgehoben`);
    return department;
  }

  private async newDepartment(part: RevisionPartDto, sortOrder: number): Promise<Department> {
    if (await this.manager.existsBy(Department, { code: part.code }))
      this.problem(`Ressort ${part.code} gibt es bereits`);
    const name =
      part.name ??
      this.problem(
        this.say(
          `name des Ressorts ${part.code} fehlt`,
          (w) => `name (${w.organisation} ${part.code}) fehlt`,
        ),
      );
    const department = await this.manager.save(
      Department,
      this.manager.create(Department, {
        code: part.code,
        name,
        description: part.description ?? '',
        kind: part.departmentKind ?? 'senate',
        sortOrder,
        retiredOn: null,
      }),
    );
    this.departmentCodes.set(department.id, department.code);
    await this.link(department, sortOrder);
    return department;
  }

  private async addDepartment(change: RevisionChange): Promise<void> {
    const code = this.need(change.code, 'code', change.kind);
    // An organisation already in the shared directory (another plan's) takes part in this plan too.
    const listed = await this.manager.findOneBy(Department, { code, retiredOn: IsNull() });
    if (
      listed &&
      !(await this.manager.existsBy(FrameworkDepartment, {
        frameworkId: this.frameworkId,
        departmentId: listed.id,
      }))
    ) {
      const name = this.need(change.name, 'name', change.kind);
      if (name !== listed.name)
        this.problem(
          `Ressort ${code} steht im Verzeichnis als ${quote(listed.name)}, nicht als ${quote(name)}; derselbe Code nennt dieselbe Organisation`,
        );
      await this.link(listed, change.sortOrder ?? (await this.nextSortOrder(Department)));
      this.line(`Ressort ${code} ${quote(listed.name)} nimmt teil (aus dem Verzeichnis)`);
      return;
    }
    const department = await this.newDepartment(
      {
        code,
        name: this.need(change.name, 'name', change.kind),
        description: change.description,
        departmentKind: change.departmentKind,
      },
      change.sortOrder ?? (await this.nextSortOrder(Department)),
    );
    this.line(`Ressort ${department.code} ${quote(department.name)} neu`);
  }

  private async updateDepartment(change: RevisionChange): Promise<void> {
    const department = await this.department(change.code, change.kind);
    this.describeUpdate(
      'Ressort',
      department.code,
      department.name,
      change.name,
      department.description,
      change.description,
    );
    // The directory is shared: an organisation other plans also use is changed by none of them alone.
    const changed = [
      change.name !== undefined && change.name !== department.name ? 'Name' : '',
      change.departmentKind !== undefined && change.departmentKind !== department.kind ? 'Art' : '',
      change.description !== undefined && change.description !== department.description ? 'Beschreibung' : '',
      change.sortOrder !== undefined && change.sortOrder !== department.sortOrder ? 'Reihenfolge' : '',
    ].filter(Boolean);
    if (changed.length)
      await this.refuseShared(department, `${changed.join(', ')} wird nicht von einem Plan aus geändert`);
    if (change.name !== undefined) department.name = change.name;
    if (change.description !== undefined) department.description = change.description;
    if (change.departmentKind !== undefined) department.kind = change.departmentKind;
    if (change.sortOrder !== undefined) department.sortOrder = change.sortOrder;
    await this.manager.save(Department, department);
  }

  private async retireDepartment(change: RevisionChange): Promise<void> {
    const department = await this.department(change.code, change.kind);
    if ((await this.otherPlans(department)).length) return this.leavePlan(department);
    const leading = await this.counted('leadDepartmentId', department.id);
    const accounts = await this.accountsOf(department, { activeOnly: true });
    if (leading.length || accounts.length) {
      throw conflict(
        FrameworkError.DEPARTMENT_IN_USE,
        `Änderung ${this.index + 1}: Ressort ${department.code} kann nicht aufgehoben werden: ${[
          leading.length
            ? `Maßnahmen unter seiner Federführung, die in seinen Zahlen mitzählen (aktive und eingestellte): ${this.activeList(leading)}`
            : '',
          accounts.length ? `Konten ${accounts.map((a) => a.email).join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ')}. Zuerst einem anderen Ressort zuordnen (Teilung oder Zusammenlegung).`,
      );
    }
    await this.retire(Department, department);
    this.line(`Ressort ${department.code} ${quote(department.name)} aufgehoben`);
  }

  /**
   * An organisation that other plans share leaves this plan only (the directory keeps it), once none of
   * this plan's measures that count name it as lead.
   */
  private async leavePlan(department: Department): Promise<void> {
    const leading = (await this.counted('leadDepartmentId', department.id)).filter(
      (m) => m.frameworkId === this.frameworkId,
    );
    if (leading.length)
      throw conflict(
        FrameworkError.DEPARTMENT_IN_USE,
        `Änderung ${this.index + 1}: Ressort ${department.code} kann nicht aufgehoben werden: Maßnahmen unter seiner Federführung, die in seinen Zahlen mitzählen (aktive und eingestellte): ${this.activeList(leading)}. Zuerst einem anderen Ressort zuordnen (Teilung oder Zusammenlegung).`,
      );
    await this.manager.delete(FrameworkDepartment, {
      frameworkId: this.frameworkId,
      departmentId: department.id,
    });
    this.line(`Ressort ${department.code} ${quote(department.name)} nimmt nicht mehr an diesem Plan teil`);
  }

  /** Moves everything that refers to `from` (participations, decisions, body members) to `to`. */
  private async moveDepartmentReferences(from: Department, to: Department): Promise<void> {
    const participating = await this.manager
      .createQueryBuilder(Measure, 'm')
      .innerJoin('m.participatingDepartments', 'pd', 'pd.id = :id', { id: from.id })
      .getMany();
    for (const found of participating) {
      await this.measuresWhere({ id: found.id });
      const measure = await this.manager.findOneOrFail(Measure, {
        where: { id: found.id },
        relations: { participatingDepartments: true },
      });
      const lead = this.moved.get(measure.id)?.measure.leadDepartmentId ?? measure.leadDepartmentId;
      const ids = new Set(
        (measure.participatingDepartments ?? []).map((d) => (d.id === from.id ? to.id : d.id)),
      );
      ids.delete(lead);
      measure.participatingDepartments = [...ids].map((id) => ({ id }) as Department);
      measure.version += 1;
      const moved = this.moved.get(measure.id)?.measure;
      if (moved) moved.version = measure.version;
      await this.manager.save(Measure, measure);
      this.effects.measures.push({
        id: measure.id,
        code: measure.code,
        from: `beteiligt: ${from.code}`,
        to: `beteiligt: ${to.code}`,
      });
    }
    // Decisions keep the department they were given: they are records of what was decided then.
    for (const body of await this.manager.find(GovernanceBody)) {
      const leaving = this.activeMembers(body.members).filter((m) => m.departmentCode === from.code);
      if (leaving.length === 0) continue;
      body.members = this.recompose(
        body.members,
        this.activeMembers(body.members).map((m) =>
          m.departmentCode === from.code ? { departmentCode: to.code, function: m.function } : m,
        ),
      );
      await this.manager.save(GovernanceBody, body);
      this.effects.bodies.push({ code: body.code, change: `Mitglied ${from.code} → ${to.code}` });
    }
  }

  /** The members without an end date: the body's composition now. */
  private activeMembers(members: BodyMember[]): BodyMember[] {
    return members.filter((m) => !m.to);
  }

  /**
   * A body's members after a change of composition, keeping the earlier ones on record: members who leave end
   * the day before the revision takes effect, new ones begin on it, the others stay as they are.
   */
  private recompose(members: BodyMember[], wanted: BodyMember[]): BodyMember[] {
    const key = (m: BodyMember) => `${m.departmentCode ?? ''}|${m.function}`;
    const wantedKeys = new Set(wanted.map(key));
    const activeKeys = new Set(this.activeMembers(members).map(key));
    const dayBefore = new Date(Date.parse(`${this.effectiveDate}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    const kept = members.map((m) => (!m.to && !wantedKeys.has(key(m)) ? { ...m, to: dayBefore } : m));
    const added = wanted
      .filter((m, i) => !activeKeys.has(key(m)) && wanted.findIndex((w) => key(w) === key(m)) === i)
      .map((m) => ({ departmentCode: m.departmentCode, function: m.function, from: this.effectiveDate }));
    return [...kept, ...added];
  }

  /** The accounts that write for the organisation in this plan (their membership here names it). */
  private async accountsOf(department: Department, options: { activeOnly?: boolean } = {}): Promise<User[]> {
    const memberships = await this.manager.find(Membership, {
      where: { frameworkId: this.frameworkId, departmentId: department.id },
      select: { id: true, userId: true },
    });
    if (!memberships.length) return [];
    return this.manager.find(User, {
      where: { id: In(memberships.map((m) => m.userId)), ...(options.activeOnly ? { active: true } : {}) },
      order: { id: 'ASC' },
    });
  }

  /** The account writes for the new organisation in this plan (its membership here moves with it). */
  private async moveAccount(user: User, from: Department, to: Department): Promise<void> {
    const membership = await this.manager.findOneByOrFail(Membership, {
      userId: user.id,
      frameworkId: this.frameworkId,
      departmentId: from.id,
    });
    membership.departmentId = to.id;
    await this.manager.save(Membership, membership);
    // The account's role in the first plan, kept for older readers, follows where it names the same organisation.
    if (user.departmentId === from.id) {
      user.departmentId = to.id;
      await this.manager.save(User, user);
    }
    this.effects.accounts.push({ id: user.id, email: user.email, from: from.code, to: to.code });
  }

  private async splitDepartment(change: RevisionChange): Promise<void> {
    const source = await this.department(change.code, change.kind);
    await this.refuseShared(source, 'es wird nicht von einem Plan aus geteilt');
    const parts = this.need(change.parts, 'parts', change.kind);
    const measures = await this.measuresWhere({ leadDepartmentId: source.id });
    const assigned = this.assignments(change);
    this.checkAssigned(assigned, measures, `Ressort ${source.code}`);
    // Every measure that counts in the department's figures is assigned; merged ones follow the first part.
    const missing = measures.filter((m) => isCounted(m.lifecycle) && !assigned.get(m.code)?.to);
    if (missing.length)
      this.problem(
        this.say(
          `jede aktive oder eingestellte Maßnahme unter Federführung von ${source.code} muss einem der neuen Ressorts zugeordnet werden; es fehlen: ${this.activeList(missing)}`,
          (w) =>
            `${w.measures} (aktiv oder eingestellt) unter Federführung von ${source.code} müssen den neuen ${dativePlural(w.organisations)} zugeordnet werden; es fehlen: ${this.activeList(missing)}`,
        ),
      );
    const accounts = await this.accountsOf(source);
    const accountTo = new Map((change.accounts ?? []).map((a) => [a.email.toLowerCase(), a.to]));
    const unassigned = accounts.filter((a) => a.active && !accountTo.has(a.email));
    if (unassigned.length)
      this.problem(
        this.say(
          `jedes aktive Konto des Ressorts ${source.code} muss einem der neuen Ressorts zugeordnet werden; es fehlen: ${unassigned.map((a) => a.email).join(', ')}`,
          (w) =>
            `aktive Konten von ${source.code} müssen den neuen ${dativePlural(w.organisations)} zugeordnet werden; es fehlen: ${unassigned.map((a) => a.email).join(', ')}`,
        ),
      );
    const created = new Map<string, Department>();
    for (const part of parts) created.set(part.code, await this.newDepartment(part, source.sortOrder));
    const first = created.get(parts[0].code)!;
    const target = (code: string | undefined, what: string): Department => {
      const found = code ? created.get(code) : first;
      if (!found)
        this.problem(
          this.say(
            `${what}: ${code} ist keines der neuen Ressorts`,
            (w) => `${what}: ${code} gehört nicht zu den neuen ${dativePlural(w.organisations)}`,
          ),
        );
      return found;
    };
    for (const measure of measures) {
      const a = assigned.get(measure.code);
      await this.moveMeasure(measure, {
        leadDepartmentId: target(a?.to, `Maßnahme ${measure.code}`).id,
        code: a?.newCode,
      });
    }
    for (const user of accounts)
      await this.moveAccount(user, source, target(accountTo.get(user.email), user.email));
    await this.moveDepartmentReferences(source, first);
    await this.retire(Department, source);
    this.line(
      `Ressort ${source.code} ${quote(source.name)} geteilt in ${parts.map((p) => `${p.code} ${quote(p.name ?? '')}`).join(', ')}`,
    );
  }

  private async mergeDepartments(change: RevisionChange): Promise<void> {
    const codes = this.need(change.codes, 'codes', change.kind);
    const into = this.need(change.into, 'into', change.kind);
    const sources: Department[] = [];
    for (const code of codes) sources.push(await this.department(code, change.kind));
    for (const source of sources)
      await this.refuseShared(source, 'es wird nicht von einem Plan aus zusammengelegt');
    let target = sources.find((d) => d.code === into.code);
    if (target) {
      if (into.name !== undefined) target.name = into.name;
      if (into.description !== undefined) target.description = into.description;
      if (into.departmentKind !== undefined) target.kind = into.departmentKind;
      target = await this.manager.save(Department, target);
    } else {
      target = await this.newDepartment(into, Math.min(...sources.map((s) => s.sortOrder)));
    }
    const assigned = this.assignments(change);
    for (const source of sources.filter((s) => s.id !== target.id)) {
      const measures = await this.measuresWhere({ leadDepartmentId: source.id });
      for (const measure of measures)
        await this.moveMeasure(measure, {
          leadDepartmentId: target.id,
          code: assigned.get(measure.code)?.newCode,
        });
      for (const user of await this.accountsOf(source)) await this.moveAccount(user, source, target);
      await this.moveDepartmentReferences(source, target);
      await this.retire(Department, source);
    }
    this.line(`Ressorts ${codes.join(', ')} zusammengelegt zu ${target.code} ${quote(target.name)}`);
  }

  // --- bodies and indicators -------------------------------------------------------------------------

  private async checkMembers(change: RevisionChange): Promise<void> {
    for (const member of change.members ?? []) {
      // A person by function alone (no organisation).
      if (member.departmentCode === undefined || member.departmentCode === null) continue;
      const department = await this.manager.findOneBy(Department, {
        code: member.departmentCode,
        retiredOn: IsNull(),
      });
      if (!department)
        this.problem(
          this.say(
            `Mitglied: unbekanntes Ressort "${member.departmentCode}"`,
            (w) => `Mitglied: ${w.organisation} "${member.departmentCode}" ist unbekannt`,
          ),
        );
    }
    if (change.meetingsPerYear && change.intervalWeeks)
      this.problem('genau eines von meetingsPerYear oder intervalWeeks angeben');
    for (const key of ['meetingsPerYear', 'intervalWeeks'] as const) {
      const cadence = change[key];
      if (cadence && cadence.max !== null && cadence.max !== undefined && cadence.max < cadence.min)
        this.problem(`${key}: max (${cadence.max}) ist kleiner als min (${cadence.min})`);
    }
    if (change.intervalWeeks && change.intervalWeeks.min < 1)
      this.problem('intervalWeeks.min: muss mindestens 1 Woche sein');
  }

  private async addBody(change: RevisionChange): Promise<void> {
    const code = this.need(change.code, 'code', change.kind);
    if (await this.manager.existsBy(GovernanceBody, { frameworkId: this.frameworkId, code }))
      this.problem(`Gremium ${code} gibt es bereits`);
    const cadence = change.intervalWeeks
      ? { min: 0, max: null }
      : this.need(change.meetingsPerYear, 'meetingsPerYear', change.kind);
    await this.checkMembers(change);
    const name = this.need(change.name, 'name', change.kind);
    const bodies = await this.manager.find(GovernanceBody, {
      where: { frameworkId: this.frameworkId },
      select: { sortOrder: true },
    });
    await this.manager.save(
      GovernanceBody,
      this.manager.create(GovernanceBody, {
        frameworkId: this.frameworkId,
        code,
        name,
        description: change.description ?? '',
        minMeetingsPerYear: cadence.min,
        maxMeetingsPerYear: cadence.max ?? null,
        intervalWeeksMin: change.intervalWeeks?.min ?? null,
        intervalWeeksMax: change.intervalWeeks ? (change.intervalWeeks.max ?? null) : null,
        participationFormats: change.participationFormats?.length ? change.participationFormats : null,
        members: (change.members ?? []).map((m) => ({
          ...(m.departmentCode !== undefined ? { departmentCode: m.departmentCode } : {}),
          function: m.function,
        })),
        sortOrder: change.sortOrder ?? bodies.reduce((max, b) => Math.max(max, b.sortOrder), 0) + 1,
      }),
    );
    this.effects.bodies.push({ code, change: 'neu' });
    this.line(`Gremium ${code} ${quote(name)} neu`);
  }

  private async updateBody(change: RevisionChange): Promise<void> {
    const code = this.need(change.code, 'code', change.kind);
    const body = await this.manager.findOneBy(GovernanceBody, { frameworkId: this.frameworkId, code });
    if (!body) this.problem(`unbekanntes Gremium "${code}"`);
    await this.checkMembers(change);
    const what: string[] = [];
    if (change.name !== undefined && change.name !== body.name) {
      what.push(`Name ${quote(body.name)} → ${quote(change.name)}`);
      body.name = change.name;
    }
    if (change.description !== undefined && change.description !== body.description) {
      what.push('Beschreibung geändert');
      body.description = change.description;
    }
    if (change.intervalWeeks) {
      const max = change.intervalWeeks.max ?? null;
      if (change.intervalWeeks.min !== body.intervalWeeksMin || max !== body.intervalWeeksMax)
        what.push(
          `Abstand ${body.intervalWeeksMin ?? '–'}–${body.intervalWeeksMax ?? '∞'} → ${change.intervalWeeks.min}–${max ?? '∞'} Wochen`,
        );
      body.intervalWeeksMin = change.intervalWeeks.min;
      body.intervalWeeksMax = max;
      body.minMeetingsPerYear = 0;
      body.maxMeetingsPerYear = null;
    }
    if (change.participationFormats !== undefined) {
      const formats = change.participationFormats.length ? change.participationFormats : null;
      if (JSON.stringify(formats ?? []) !== JSON.stringify(body.participationFormats ?? []))
        what.push(`Beteiligungsformate ${(formats ?? []).join(', ') || 'keine'}`);
      body.participationFormats = formats;
    }
    if (change.meetingsPerYear) {
      body.intervalWeeksMin = null;
      body.intervalWeeksMax = null;
      const max = change.meetingsPerYear.max ?? null;
      if (change.meetingsPerYear.min !== body.minMeetingsPerYear || max !== body.maxMeetingsPerYear)
        what.push(
          `Turnus ${body.minMeetingsPerYear}–${body.maxMeetingsPerYear ?? '∞'} → ${change.meetingsPerYear.min}–${max ?? '∞'}`,
        );
      body.minMeetingsPerYear = change.meetingsPerYear.min;
      body.maxMeetingsPerYear = max;
    }
    if (change.members) {
      const wanted = change.members.map((m) => ({
        departmentCode: m.departmentCode ?? null,
        function: m.function,
      }));
      const now = this.activeMembers(body.members).map((m) => ({
        departmentCode: m.departmentCode ?? null,
        function: m.function,
      }));
      if (JSON.stringify(wanted) !== JSON.stringify(now)) {
        what.push('Mitglieder geändert');
        body.members = this.recompose(body.members, wanted);
      }
    }
    if (change.sortOrder !== undefined) body.sortOrder = change.sortOrder;
    await this.manager.save(GovernanceBody, body);
    this.effects.bodies.push({ code, change: what.join('; ') || 'unverändert' });
    this.line(`Gremium ${code}: ${what.join('; ') || 'unverändert'}`);
  }

  private async setIndicator(change: RevisionChange): Promise<void> {
    const entry = this.need(change.indicator, 'indicator', change.kind);
    let actionFieldId: number | null = null;
    if (entry.actionFieldCode) {
      const field = await this.manager.findOneBy(ActionField, {
        frameworkId: this.frameworkId,
        code: entry.actionFieldCode,
      });
      if (!field)
        this.problem(`indicator.actionFieldCode: unbekanntes Handlungsfeld "${entry.actionFieldCode}"`);
      actionFieldId = field.id;
    }
    const values = {
      code: entry.code,
      name: entry.name,
      definition: entry.definition ?? '',
      unit: entry.unit ?? '',
      source: entry.source ?? '',
      actionFieldId,
      direction: entry.direction ?? 'neutral',
      baselineYear: entry.baseline?.year ?? null,
      baselineValue: entry.baseline?.value ?? null,
      baselineNote: entry.baseline?.note ?? '',
      targetYear: entry.target?.year ?? null,
      targetValue: entry.target?.value ?? null,
      groups: entry.groups ?? DEFAULT_INDICATOR_GROUPS,
    };
    const existing = await this.manager.findOneBy(Indicator, {
      frameworkId: this.frameworkId,
      code: entry.code,
    });
    if (existing) {
      const changed = Object.entries(values)
        .filter(
          ([key, value]) =>
            JSON.stringify((existing as unknown as Record<string, unknown>)[key]) !== JSON.stringify(value),
        )
        .map(([key]) => key);
      await this.manager.save(Indicator, Object.assign(existing, values));
      this.line(
        `Indikator ${entry.code}: ${changed.length ? `${changed.join(', ')} geändert` : 'unverändert'}`,
      );
    } else {
      await this.manager.save(
        Indicator,
        this.manager.create(Indicator, { ...values, frameworkId: this.frameworkId }),
      );
      this.line(`Indikator ${entry.code} ${quote(entry.name)} neu`);
    }
  }
}
