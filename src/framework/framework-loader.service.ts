/**
 * Loads a framework file into the database. A file whose framework.code the installation does not hold yet
 * adds a plan (its first load); its organisations join the installation's one directory, where an
 * organisation another plan named already is reused under its code (never renamed by this file). A file with
 * a known code revises that plan: it is compared with the file last applied to it: the same version with the same content changes nothing, a higher
 * version is applied as a revision (Fortschreibung) listing its differences, and the same version with other
 * content or an older version is refused, naming the first difference, never applied silently. After revisions
 * on the page or by the API, a new file is compared with the database as it is, and refused if it would undo
 * them. Reporting cycles new in a file are added; existing ones keep their dates and state, since the
 * coordinating unit may have adjusted them.
 */
import { basename } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager, FindOptionsWhere } from 'typeorm';
import { RequestContext } from '../common/context/request-context.js';
import { germanDate } from '../common/calendar-date.js';
import { todayInBremen } from '../common/dates.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { GovernanceBody } from '../governance/governance-body.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { ActionField } from './action-field.entity.js';
import { Department } from './department.entity.js';
import { Area, FrameworkDepartment } from './area.entity.js';
import {
  DEFAULT_REPORTING_RHYTHM,
  type FrameworkFile,
  FrameworkFileError,
  readFrameworkFile,
  rhythmLabel,
} from './framework-file.js';
import { Framework } from './framework.entity.js';
import { Goal } from './goal.entity.js';
import { DEFAULT_INDICATOR_GROUPS } from './framework-defaults.js';
import {
  compareVersions,
  fileChanges,
  type FileJson,
  fileJson,
  firstDifference,
  shapeDefaults,
  undoneByFile,
  withDefaults,
} from './revisions/framework-file-diff.js';
import { FrameworkRevision } from './revisions/framework-revision.entity.js';
import {
  FrameworkRevisionsService,
  lockFramework,
  type RevisionOutcome,
} from './revisions/framework-revisions.service.js';
import { Membership } from '../auth/membership.entity.js';
import { User } from '../auth/user.entity.js';

export { DEFAULT_INDICATOR_GROUPS } from './framework-defaults.js';

export interface FrameworkLoadResult {
  framework: Framework;
  created: number;
  updated: number;
  /** true: the file's plan was not in the installation and has been added. */
  added: boolean;
  /** The revision the file was applied as (a higher version than the one applied before). */
  revision?: RevisionOutcome;
  /** true: nothing was written (a dry run). */
  dryRun?: boolean;
}

type Coded = { id: number; code: string };

/** Thrown at the end of a dry run to roll it back; carries its result. */
class DryRunRollback extends Error {
  constructor(readonly result: FrameworkLoadResult) {
    super('dry run');
  }
}

@Injectable()
export class FrameworkLoaderService {
  private readonly logger = new Logger(FrameworkLoaderService.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly revisions: FrameworkRevisionsService,
  ) {}

  async loadFile(
    file: string,
    options: { demoMode: boolean; dryRun?: boolean },
  ): Promise<FrameworkLoadResult> {
    const content = await readFrameworkFile(file);
    return this.load(content, file, options);
  }

  async load(
    content: FrameworkFile,
    file: string,
    options: { demoMode: boolean; dryRun?: boolean },
  ): Promise<FrameworkLoadResult> {
    let result: FrameworkLoadResult;
    try {
      result = await RequestContext.withAudit({ action: 'framework_load', note: file }, () =>
        this.transactions.run(async (manager) => {
          // The plan there: its row locked first, so that no revision of the page comes in between.
          const known = await manager.findOne(Framework, {
            where: { code: content.framework.code },
            select: { id: true },
          });
          if (known) await lockFramework(manager, known.id);
          const existing = known
            ? await manager.findOneOrFail(Framework, {
                where: { id: known.id },
                select: {
                  id: true,
                  code: true,
                  name: true,
                  version: true,
                  fileVersion: true,
                  fileContent: true,
                },
              })
            : null;
          const loaded = existing
            ? await this.compareAndRevise(manager, existing, content, file)
            : await this.firstLoad(manager, content, file, options);
          if (options.dryRun) throw new DryRunRollback({ ...loaded, dryRun: true });
          return loaded;
        }),
      );
    } catch (error) {
      if (error instanceof DryRunRollback) return error.result;
      throw error;
    }
    if (result.revision) {
      this.logger.log(
        `Rahmenkonzept-Datei ${file}: Version ${result.revision.versionBefore} → ${result.revision.versionAfter} als Fortschreibung übernommen (${result.revision.effects.lines.length} Änderung(en))`,
      );
    } else if (result.added) {
      this.logger.log(
        `Plan "${result.framework.name}" (${result.framework.code}) hinzugefügt (${result.created} Einträge neu)`,
      );
    } else if (result.created || result.updated) {
      this.logger.log(
        `Rahmenkonzept "${result.framework.name}" geladen (${result.created} neu, ${result.updated} aktualisiert)`,
      );
    }
    return result;
  }

  /** A plan the installation does not hold yet: everything in the file is created for it. */
  private async firstLoad(
    manager: EntityManager,
    content: FrameworkFile,
    file: string,
    options: { demoMode: boolean },
  ): Promise<FrameworkLoadResult> {
    const counter = { created: 0, updated: 0 };
    const framework = await this.createFramework(manager, content, file, options, counter);
    const plan = { frameworkId: framework.id };
    const goals = content.goals.map((g, i) => ({
      ...plan,
      ...g,
      description: g.description ?? '',
      sortOrder: i + 1,
    }));
    await this.upsertByCode(manager, Goal, framework.id, goals, counter);
    const fields = content.actionFields.map((f, i) => ({
      ...plan,
      ...f,
      description: f.description ?? '',
      sortOrder: i + 1,
    }));
    const fieldIds = await this.upsertByCode(manager, ActionField, framework.id, fields, counter);
    const departmentIds = await this.joinDirectory(manager, content, file, counter);
    await this.linkDepartments(manager, framework.id, content, departmentIds);
    const areas = (content.areas ?? []).map((a, i) => ({
      ...plan,
      code: a.code,
      name: a.name,
      levelCode: a.level ?? null,
      sortOrder: i + 1,
    }));
    await this.upsertByCode(manager, Area, framework.id, areas, counter);
    const bodies = (content.governanceBodies ?? []).map((b, i) => ({
      ...plan,
      code: b.code,
      name: b.name,
      description: b.description ?? '',
      minMeetingsPerYear: b.meetingsPerYear?.min ?? 0,
      maxMeetingsPerYear: b.meetingsPerYear ? (b.meetingsPerYear.max ?? null) : null,
      intervalWeeksMin: b.intervalWeeks?.min ?? null,
      intervalWeeksMax: b.intervalWeeks ? (b.intervalWeeks.max ?? null) : null,
      members: (b.members ?? []).map((m) => ({
        ...(m.departmentCode !== undefined ? { departmentCode: m.departmentCode } : {}),
        function: m.function,
      })),
      participationFormats: b.participationFormats ?? null,
      sortOrder: i + 1,
    }));
    await this.upsertByCode(manager, GovernanceBody, framework.id, bodies, counter);
    await this.insertMissingCycles(manager, framework.id, content, counter);
    const indicators = (content.indicators ?? []).map((ind) => ({
      ...plan,
      code: ind.code,
      name: ind.name,
      definition: ind.definition ?? '',
      unit: ind.unit ?? '',
      source: ind.source ?? '',
      actionFieldId: ind.actionFieldCode ? (fieldIds.get(ind.actionFieldCode) ?? null) : null,
      direction: ind.direction ?? 'neutral',
      baselineYear: ind.baseline?.year ?? null,
      baselineValue: ind.baseline?.value ?? null,
      baselineNote: ind.baseline?.note ?? '',
      targetYear: ind.target?.year ?? null,
      targetValue: ind.target?.value ?? null,
      groups: ind.groups ?? DEFAULT_INDICATOR_GROUPS,
    }));
    await this.upsertByCode(manager, Indicator, framework.id, indicators, counter);
    await this.rememberFile(manager, framework.id, content);
    return {
      framework: await manager.findOneByOrFail(Framework, { id: framework.id }),
      added: true,
      ...counter,
    };
  }

  /**
   * The file's organisations in the installation's one directory: new codes are added, a code the directory
   * holds already is that organisation (another plan named it) and is reused as it is. A file that gives such
   * a code another name is refused, naming both, rather than renaming the organisation under the other plan.
   */
  private async joinDirectory(
    manager: EntityManager,
    content: FrameworkFile,
    file: string,
    counter: { created: number; updated: number },
  ): Promise<Map<string, number>> {
    const directory = new Map((await manager.find(Department)).map((d) => [d.code, d]));
    const problems: string[] = [];
    for (const [i, entry] of content.departments.entries()) {
      const listed = directory.get(entry.code);
      if (!listed || listed.name === entry.name) continue;
      const plans = await manager
        .createQueryBuilder(Framework, 'f')
        .innerJoin(FrameworkDepartment, 'fd', 'fd.frameworkId = f.id')
        .where('fd.departmentId = :id', { id: listed.id })
        .orderBy('f.id', 'ASC')
        .getMany();
      const where = plans.length ? ` (${plans.map((p) => `„${p.name}“`).join(', ')})` : '';
      problems.push(
        `departments[${i}].name: Der Code "${entry.code}" steht im gemeinsamen Verzeichnis der Organisationen bereits für „${listed.name}“${where}; diese Datei nennt ihn „${entry.name}“. Ein Code nennt eine Organisation: denselben Namen verwenden oder einen anderen Code wählen.`,
      );
    }
    if (problems.length) throw new FrameworkFileError(file, problems);
    const ids = new Map<string, number>();
    const sortOrder = Math.max(0, ...[...directory.values()].map((d) => d.sortOrder));
    for (const [i, entry] of content.departments.entries()) {
      const listed = directory.get(entry.code);
      if (listed) {
        ids.set(entry.code, listed.id);
        continue;
      }
      const saved = await manager.save(
        Department,
        manager.create(Department, {
          code: entry.code,
          name: entry.name,
          description: entry.description ?? '',
          kind: entry.kind ?? 'senate',
          sortOrder: sortOrder + i + 1,
        }),
      );
      counter.created++;
      ids.set(entry.code, saved.id);
    }
    return ids;
  }

  /**
   * A database with a framework: the file is compared with the file applied before (or, for a database from
   * before files were kept, with the framework as the database holds it).
   */
  private async compareAndRevise(
    manager: EntityManager,
    existing: Framework,
    content: FrameworkFile,
    file: string,
  ): Promise<FrameworkLoadResult> {
    const info = content.framework;
    const now = fileJson(content);
    const applied = (existing.fileContent as FileJson | null | undefined) ?? null;
    const appliedVersion = existing.fileVersion ?? existing.version;
    const before = applied ?? (await this.databaseAsFile(manager, existing, appliedVersion));
    const order = compareVersions(info.version, appliedVersion);
    const counter = { created: 0, updated: 0 };
    if (order < 0) {
      throw new FrameworkFileError(file, [
        `framework.version: Die Datei hat die Version ${info.version}, übernommen ist bereits ${appliedVersion}; eine ältere Fassung wird nicht geladen${this.differenceNote(before, now, applied !== null)}`,
      ]);
    }
    if (order === 0) {
      const difference = this.difference(before, now, applied !== null);
      if (difference) {
        throw new FrameworkFileError(file, [
          `Der Inhalt weicht vom übernommenen Rahmenkonzept der Version ${appliedVersion} ab, die Version ist aber dieselbe (erster Unterschied: ${difference}). Eine Änderung wird nur mit höherer framework.version als Fortschreibung übernommen.`,
        ]);
      }
      // The same content, but written with fields the file applied before did not know yet (or no file
      // kept): what those fields say is taken over as the plan's shape, and the file kept from now on.
      if (!applied || firstDifference(applied, now) !== null) {
        await this.applyShape(manager, existing.id, content);
        await this.rememberFile(manager, existing.id, content);
      }
      await this.insertMissingCycles(manager, existing.id, content, counter);
      return {
        framework: await manager.findOneByOrFail(Framework, { id: existing.id }),
        added: false,
        ...counter,
      };
    }
    // Revisions made on the page or by the API since the file before: the new file is compared with the
    // database as it is now (both with the loader's defaults written out, so that only real changes count),
    // unless it would undo them (a file written before them): then it is refused, naming them.
    const since = applied ? await this.revisionsSinceFile(manager, existing.id) : [];
    const current = since.length ? await this.databaseAsFile(manager, existing, appliedVersion) : null;
    if (current) {
      const undone = undoneByFile(before, current, now);
      if (undone.length)
        throw new FrameworkFileError(file, [this.undoneMessage(since, undone, appliedVersion, info.version)]);
    }
    const { changes, problems } = current
      ? fileChanges(withDefaults(current), withDefaults(now))
      : fileChanges(before, now);
    if (problems.length) throw new FrameworkFileError(file, problems);
    const revision = await this.revisions.applyWithin(
      manager,
      {
        effectiveDate: todayInBremen(),
        reason: `Rahmenkonzept-Datei ${basename(file)}, Version ${info.version}`,
        versionLabel: info.version,
        expectedVersion: existing.version,
        frameworkId: existing.id,
        changes,
      },
      { id: null, name: `Rahmenkonzept-Datei ${basename(file)}` },
      'file',
    );
    await this.insertMissingCycles(manager, existing.id, content, counter);
    await this.applyPublicBudget(manager, existing.id, applied, content);
    await this.rememberFile(manager, existing.id, content);
    return {
      framework: await manager.findOneByOrFail(Framework, { id: existing.id }),
      added: false,
      created: counter.created,
      updated: changes.length,
      revision,
    };
  }

  /**
   * The first difference between the file applied and the new one; for a database without a kept file, only
   * what the database holds of it for sure: the framework's name and the codes and titles of its goals,
   * fields and departments.
   */
  private difference(before: FileJson, now: FileJson, complete: boolean): string | null {
    if (complete) return firstDifference(shapeDefaults(before), shapeDefaults(now));
    const core = (f: FileJson) => ({
      framework: { name: f.framework.name },
      goals: f.goals.map((g) => ({ code: g.code, title: g.title })),
      actionFields: f.actionFields.map((g) => ({ code: g.code, title: g.title })),
      departments: f.departments.map((g) => ({ code: g.code, name: g.name })),
    });
    return firstDifference(core(before), core(now));
  }

  private differenceNote(before: FileJson, now: FileJson, complete: boolean): string {
    const difference = this.difference(before, now, complete);
    return difference ? ` (erster Unterschied: ${difference})` : '';
  }

  private undoneMessage(
    since: FrameworkRevision[],
    undone: string[],
    appliedVersion: string,
    version: string,
  ): string {
    const revisions = since
      .map(
        (r) =>
          `Nr. ${r.id} „${r.versionAfter}“, gültig ab ${germanDate(r.effectiveDate)}: ${r.reason.slice(0, 200)}`,
      )
      .join('; ');
    const entries = `${undone.slice(0, 10).join(', ')}${undone.length > 10 ? ` und ${undone.length - 10} weitere` : ''}`;
    return `Seit der Datei der Version ${appliedVersion} wurde das Rahmenkonzept über die Seite oder die API fortgeschrieben (${revisions}). Die Datei der Version ${version} würde das rückgängig machen (${entries}); sie wird nicht übernommen. Nehmen Sie diese Fortschreibungen in die Datei auf; dann wird sie mit dem Stand der Datenbank verglichen.`;
  }

  /** The revisions of a plan made on the page or by the API since its last framework file was applied as one. */
  private async revisionsSinceFile(
    manager: EntityManager,
    frameworkId: number,
  ): Promise<FrameworkRevision[]> {
    const [lastFile] = await manager.find(FrameworkRevision, {
      where: { source: 'file', frameworkId },
      order: { id: 'DESC' },
      take: 1,
    });
    return manager
      .createQueryBuilder(FrameworkRevision, 'r')
      .where('r.frameworkId = :frameworkId', { frameworkId })
      .andWhere('r.source <> :file', { file: 'file' })
      .andWhere('r.id > :after', { after: lastFile?.id ?? 0 })
      .orderBy('r.id', 'ASC')
      .getMany();
  }

  /**
   * `publicBudget` is a setting the admin may change on the page: a newer file sets it only where it states a
   * value other than the file applied before (a file that keeps or omits it leaves the admin's choice).
   */
  private async applyPublicBudget(
    manager: EntityManager,
    id: number,
    applied: FileJson | null,
    content: FrameworkFile,
  ): Promise<void> {
    const stated = content.framework.publicBudget;
    if (stated === undefined || stated === (applied?.framework.publicBudget ?? false)) return;
    const framework = await manager.findOneByOrFail(Framework, { id });
    if (framework.publicBudget === stated) return;
    framework.publicBudget = stated;
    framework.settingsVersion += 1;
    await manager.save(Framework, framework);
  }

  /** Keeps the file applied, to compare the next one with. */
  private async rememberFile(manager: EntityManager, id: number, content: FrameworkFile): Promise<void> {
    const framework = await manager.findOneByOrFail(Framework, { id });
    framework.fileVersion = content.framework.version;
    framework.fileContent = fileJson(content);
    await manager.save(Framework, framework);
  }

  /** A plan as the database holds it, in the form of a file (for a database without a kept file). */
  private async databaseAsFile(
    manager: EntityManager,
    framework: Framework,
    version: string,
  ): Promise<FileJson> {
    const order = { sortOrder: 'ASC', id: 'ASC' } as const;
    const plan = { where: { frameworkId: framework.id }, order };
    const full = await manager.findOneByOrFail(Framework, { id: framework.id });
    const fields = (await manager.find(ActionField, plan)).filter((f) => !f.retiredOn);
    const departments = await manager
      .createQueryBuilder(Department, 'd')
      .innerJoin(FrameworkDepartment, 'fd', 'fd.departmentId = d.id AND fd.frameworkId = :id', {
        id: framework.id,
      })
      .where('d.retiredOn IS NULL')
      .orderBy('d.sortOrder', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getMany();
    const fieldCodes = new Map(fields.map((f) => [f.id, f.code]));
    return {
      formatVersion: 1,
      framework: {
        code: full.code,
        name: full.name,
        region: full.region,
        adopted: full.adopted,
        version,
        staleAfterDays: full.staleAfterDays,
        ...(full.vocabulary ? { vocabulary: full.vocabulary } : {}),
        ...(full.measureCodePattern !== null && full.measureCodeExample !== null
          ? { measureCode: { pattern: full.measureCodePattern, example: full.measureCodeExample } }
          : {}),
        reportingRhythm: { months: full.reportingRhythmMonths, label: full.reportingRhythmLabel },
      },
      ...(full.levels ? { levels: full.levels } : {}),
      areas: (await manager.find(Area, plan)).map((a) => ({
        code: a.code,
        name: a.name,
        ...(a.levelCode !== null ? { level: a.levelCode } : {}),
      })),
      goals: (await manager.find(Goal, plan)).map((g) => ({
        code: g.code,
        title: g.title,
        description: g.description,
      })),
      actionFields: fields.map((f) => ({ code: f.code, title: f.title, description: f.description })),
      departments: departments.map((d) => ({
        code: d.code,
        name: d.name,
        description: d.description,
        kind: d.kind,
      })),
      targetGroups: full.targetGroups,
      governanceBodies: (await manager.find(GovernanceBody, plan)).map((b) => ({
        code: b.code,
        name: b.name,
        description: b.description,
        ...(b.intervalWeeksMin !== null
          ? { intervalWeeks: { min: b.intervalWeeksMin, max: b.intervalWeeksMax } }
          : { meetingsPerYear: { min: b.minMeetingsPerYear, max: b.maxMeetingsPerYear } }),
        members: b.members
          .filter((m) => !m.to)
          .map((m) => ({
            ...(m.departmentCode ? { departmentCode: m.departmentCode } : {}),
            function: m.function,
          })),
        ...(b.participationFormats?.length ? { participationFormats: b.participationFormats } : {}),
      })),
      indicators: (
        await manager.find(Indicator, { where: { frameworkId: framework.id }, order: { id: 'ASC' } })
      ).map((i) => ({
        code: i.code,
        name: i.name,
        definition: i.definition,
        unit: i.unit,
        source: i.source,
        actionFieldCode: i.actionFieldId ? (fieldCodes.get(i.actionFieldId) ?? null) : null,
        direction: i.direction,
        ...(i.baselineYear !== null && i.baselineValue !== null
          ? {
              baseline: {
                year: i.baselineYear,
                value: i.baselineValue,
                ...(i.baselineNote ? { note: i.baselineNote } : {}),
              },
            }
          : {}),
        ...(i.targetYear !== null && i.targetValue !== null
          ? { target: { year: i.targetYear, value: i.targetValue } }
          : {}),
        groups: i.groups,
      })),
    };
  }

  /** The plan's own settings as the file states them (its words, code rule, rhythm, levels). */
  private shapeValues(content: FrameworkFile): Partial<Framework> {
    const info = content.framework;
    return {
      vocabulary: info.vocabulary ? { ...info.vocabulary } : null,
      levels: content.levels ? content.levels.map((l) => ({ code: l.code, name: l.name })) : null,
      measureCodePattern: info.measureCode?.pattern ?? null,
      measureCodeExample: info.measureCode?.example ?? null,
      reportingRhythmMonths: info.reportingRhythm?.months ?? DEFAULT_REPORTING_RHYTHM.months,
      reportingRhythmLabel: rhythmLabel(info.reportingRhythm),
    };
  }

  private async createFramework(
    manager: EntityManager,
    content: FrameworkFile,
    file: string,
    options: { demoMode: boolean },
    counter: { created: number; updated: number },
  ): Promise<Framework> {
    const info = content.framework;
    counter.created++;
    const first = !(await manager.exists(Framework));
    const plan = await manager.save(
      Framework,
      manager.create(Framework, {
        code: info.code,
        name: info.name,
        region: info.region,
        adopted: info.adopted,
        version: info.version,
        staleAfterDays: info.staleAfterDays ?? 180,
        targetGroups: content.targetGroups ?? [],
        sourceFile: file,
        publicBudget: info.publicBudget ?? false,
        ...this.shapeValues(content),
        demoMode: options.demoMode,
      }),
    );
    if (first) await this.rolesInFirstPlan(manager, plan.id);
    return plan;
  }

  /**
   * Accounts created before the installation had a plan (`db:init --no-framework`, then `user:create`) hold
   * their role in the first plan loaded, as the Memberships migration gave the accounts of the one plan theirs.
   */
  private async rolesInFirstPlan(manager: EntityManager, frameworkId: number): Promise<void> {
    const waiting = await manager
      .createQueryBuilder(User, 'u')
      .select(['u.id', 'u.role', 'u.departmentId'])
      .where('NOT EXISTS (SELECT 1 FROM "memberships" m WHERE m."userId" = u."id")')
      // Installation administrators are admins of every plan without a membership.
      .andWhere('NOT u.installationAdmin')
      .getMany();
    if (waiting.length === 0) return;
    await manager.insert(
      Membership,
      waiting.map((u) => ({
        userId: u.id,
        frameworkId,
        role: u.role,
        departmentId: u.role === 'editor' ? u.departmentId : null,
      })),
    );
  }

  /**
   * The plan-shape fields of a file of the same version as the one applied, whose file predates them: taken
   * over as they are (their defaults compared equal to what the plan did before, see shapeDefaults).
   */
  private async applyShape(
    manager: EntityManager,
    frameworkId: number,
    content: FrameworkFile,
  ): Promise<void> {
    const framework = await manager.findOneByOrFail(Framework, { id: frameworkId });
    const values = this.shapeValues(content);
    if (this.differs(framework, values)) await manager.save(Framework, Object.assign(framework, values));
    const counter = { created: 0, updated: 0 };
    await this.upsertByCode(
      manager,
      Area,
      frameworkId,
      (content.areas ?? []).map((a, i) => ({
        frameworkId,
        code: a.code,
        name: a.name,
        levelCode: a.level ?? null,
        sortOrder: i + 1,
      })),
      counter,
    );
    const bodies = new Map(
      (await manager.find(GovernanceBody, { where: { frameworkId } })).map((b) => [b.code, b]),
    );
    for (const entry of content.governanceBodies ?? []) {
      const body = bodies.get(entry.code);
      if (!body) continue;
      const shape = {
        participationFormats: entry.participationFormats?.length ? entry.participationFormats : null,
        intervalWeeksMin: entry.intervalWeeks?.min ?? null,
        intervalWeeksMax: entry.intervalWeeks ? (entry.intervalWeeks.max ?? null) : null,
      };
      if (this.differs(body, shape)) await manager.save(GovernanceBody, Object.assign(body, shape));
    }
  }

  /** Inserts or updates a plan's rows by code; returns code → id. */
  private async upsertByCode<T extends Coded & { frameworkId: number }>(
    manager: EntityManager,
    entity: new () => T,
    frameworkId: number,
    rows: (Partial<T> & { code: string })[],
    counter: { created: number; updated: number },
  ): Promise<Map<string, number>> {
    const existing = new Map(
      (await manager.find(entity, { where: { frameworkId } as FindOptionsWhere<T> })).map((row) => [
        row.code,
        row,
      ]),
    );
    const ids = new Map<string, number>();
    for (const row of rows) {
      const current = existing.get(row.code);
      if (!current) {
        const saved = await manager.save(entity, manager.create(entity, row as T));
        counter.created++;
        ids.set(row.code, saved.id);
      } else {
        if (this.differs(current, row)) {
          await manager.save(entity, Object.assign(current, row));
          counter.updated++;
        }
        ids.set(row.code, current.id);
      }
    }
    return ids;
  }

  /** The organisations of the file take part in the plan (the directory itself is shared by all plans). */
  private async linkDepartments(
    manager: EntityManager,
    frameworkId: number,
    content: FrameworkFile,
    departmentIds: Map<string, number>,
  ): Promise<void> {
    const linked = new Set(
      (await manager.find(FrameworkDepartment, { where: { frameworkId } })).map((l) => l.departmentId),
    );
    const links = content.departments
      .map((d, i) => ({ frameworkId, departmentId: departmentIds.get(d.code)!, sortOrder: i + 1 }))
      .filter((l) => !linked.has(l.departmentId));
    if (links.length) await manager.insert(FrameworkDepartment, links);
  }

  private async insertMissingCycles(
    manager: EntityManager,
    frameworkId: number,
    content: FrameworkFile,
    counter: { created: number; updated: number },
  ): Promise<void> {
    const existing = new Set(
      (await manager.find(ReportingCycle, { where: { frameworkId } })).map((c) => c.code),
    );
    for (const cycle of content.reportingCycles ?? []) {
      if (existing.has(cycle.code)) continue;
      await manager.save(
        ReportingCycle,
        manager.create(ReportingCycle, {
          ...cycle,
          frameworkId,
          publicationTarget: cycle.publicationTarget ?? null,
          state: 'planned',
        }),
      );
      counter.created++;
    }
  }

  private differs(current: object, values: object): boolean {
    return Object.entries(values).some(
      ([key, value]) => JSON.stringify((current as Record<string, unknown>)[key]) !== JSON.stringify(value),
    );
  }
}
