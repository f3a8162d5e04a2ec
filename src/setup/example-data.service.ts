/**
 * Loads the example data (demo mode only) in one transaction, through the same rules as the API: measures
 * via MeasuresService, reports via StatusReportsService. Everything it creates is flagged as Beispieldaten.
 * Idempotent: measures whose code exists already are skipped with their reports.
 */
import { Injectable, Logger } from '@nestjs/common';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { FrameworkFileError } from '../framework/framework-file.js';
import { Framework } from '../framework/framework.entity.js';
import { Goal } from '../framework/goal.entity.js';
import { Measure } from '../measures/measure.entity.js';
import { MeasuresService } from '../measures/measures.service.js';
import { StatusReportsService } from '../measures/status-reports.service.js';
import { todayInBremen } from '../common/dates.js';
import { demoCycleState, shiftExampleData, yearsSince } from './example-data-dates.js';
import { type ExampleDataFile, readExampleDataFile } from './example-data-file.js';
import { DataSource, type FindOptionsWhere, In } from 'typeorm';
import { GovernanceBody } from '../governance/governance-body.entity.js';
import { DecisionsService } from '../governance/decisions.service.js';
import { MeetingsService } from '../governance/meetings.service.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { MeasureHistory } from '../framework/revisions/measure-history.entity.js';
import { IndicatorsService } from '../indicators/indicators.service.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import type { CycleState } from '../reporting/reporting-cycle.entity.js';
import { vocabularyOf } from '../framework/plans.service.js';

/** The loader acts with the coordinating unit's rights; the audit trail shows it as the system (no user). */
const LOADER: Actor = { id: 0, email: '', displayName: 'System', role: 'admin', departmentId: null };

/** Each cycle state and the step that leads to it from the one before. */
const PATH: CycleState[] = ['planned', 'collecting', 'reviewing', 'closed', 'published'];

@Injectable()
export class ExampleDataService {
  private readonly logger = new Logger(ExampleDataService.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly measures: MeasuresService,
    private readonly reports: StatusReportsService,
    private readonly cycles: ReportingCyclesService,
    private readonly meetingsService: MeetingsService,
    private readonly decisionsService: DecisionsService,
    private readonly indicators: IndicatorsService,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Meetings, decisions (carried out on their measures through the same path as an admin would) and
   * indicator values, all flagged as example data.
   */
  private async loadGovernance(data: ExampleDataFile, file: string, frameworkId: number): Promise<void> {
    const manager = this.dataSource.manager;
    const byCode = async <T extends { id: number; code: string; frameworkId: number }>(
      entity: new () => T,
    ): Promise<Map<string, number>> =>
      new Map(
        (await manager.find(entity, { where: { frameworkId } as FindOptionsWhere<T> })).map((row) => [
          row.code,
          row.id,
        ]),
      );
    const [bodies, fields, indicators] = await Promise.all([
      byCode(GovernanceBody),
      byCode(ActionField),
      byCode(Indicator),
    ]);
    const departments = new Map((await manager.find(Department)).map((d) => [d.code, d.id]));
    const measures = new Map(
      (await manager.find(Measure, { where: { frameworkId }, select: { id: true, code: true } })).map((m) => [
        m.code,
        m.id,
      ]),
    );
    const lookup = (map: Map<string, number>, code: string, path: string): number => {
      const id = map.get(code);
      if (id === undefined) throw new FrameworkFileError(file, [`${path}: unbekannter Code "${code}"`]);
      return id;
    };
    await RequestContext.withAudit({ action: 'example_data', note: file }, async () => {
      const meetings = new Map<string, number>();
      for (const [i, m] of (data.meetings ?? []).entries()) {
        const meeting = await this.meetingsService.createMeeting(
          {
            bodyId: lookup(bodies, m.bodyCode, `meetings[${i}].bodyCode`),
            date: m.date,
            title: m.title,
            place: m.place,
            attendingDepartmentIds: (m.attendingDepartmentCodes ?? []).map((c) =>
              lookup(departments, c, `meetings[${i}].attendingDepartmentCodes`),
            ),
            agenda: m.agenda,
            minutesSummary: m.minutesSummary,
            participationType: m.participationType,
            topicActionFieldIds: (m.topicActionFieldCodes ?? []).map((c) =>
              lookup(fields, c, `meetings[${i}].topicActionFieldCodes`),
            ),
            participantCount: m.participantCount,
          },
          { isExample: true },
        );
        meetings.set(m.key, meeting.id);
      }
      for (const [i, d] of (data.decisions ?? []).entries()) {
        const decision = await this.decisionsService.createDecision(
          {
            meetingId: lookup(meetings, d.meetingKey, `decisions[${i}].meetingKey`),
            kind: d.kind,
            text: d.text,
            measureIds: (d.measureCodes ?? []).map((c) =>
              lookup(measures, c, `decisions[${i}].measureCodes`),
            ),
            responsibleDepartmentId: lookup(
              departments,
              d.responsibleDepartmentCode,
              `decisions[${i}].responsibleDepartmentCode`,
            ),
            dueDate: d.dueDate ?? null,
          },
          LOADER,
          { isExample: true, state: d.state },
        );
        if (d.apply) {
          const measureId = lookup(measures, d.apply.measureCode, `decisions[${i}].apply.measureCode`);
          const { version } = await manager.findOneByOrFail(Measure, { id: measureId });
          await this.decisionsService.apply(
            decision.id,
            { action: d.apply.action, measureId, version, plannedEnd: d.apply.plannedEnd },
            LOADER,
          );
        }
      }
      for (const [i, v] of (data.indicatorValues ?? []).entries()) {
        await this.indicators.addValue(
          lookup(indicators, v.code, `indicatorValues[${i}].code`),
          { year: v.year, group: v.group, value: v.value },
          { isExample: true },
        );
      }
    });
  }

  /** Walks each listed cycle forward, step by step, through the same transitions an admin would use. */
  private async moveCycles(targets: { code: string; state: CycleState }[], file: string): Promise<void> {
    for (const target of targets) {
      let cycle = await this.cycles.findByCode(target.code).catch(() => {
        throw new FrameworkFileError(file, [`reportingCycles: unbekannter Berichtszyklus "${target.code}"`]);
      });
      while (PATH.indexOf(cycle.state) < PATH.indexOf(target.state)) {
        const next = PATH[PATH.indexOf(cycle.state) + 1];
        await RequestContext.withAudit({ action: 'example_data', note: file }, () =>
          this.cycles.transition(cycle.id, next, cycle.version, LOADER),
        );
        cycle = await this.cycles.findByCode(target.code);
      }
    }
  }

  /**
   * The cycles' target states: as listed; with a `writtenAt`, every framework cycle moves on to the state its
   * dates give today (the data has moved forward to today, see example-data-dates.ts).
   */
  private async cycleTargets(
    data: ExampleDataFile,
    today: string,
  ): Promise<{ code: string; state: CycleState }[]> {
    const listed = data.reportingCycles ?? [];
    if (!data.writtenAt) return listed;
    const states = new Map(listed.map((c) => [c.code, c.state]));
    return (await this.cycles.list())
      .map((c) => ({ code: c.code, state: demoCycleState(c, states.get(c.code), today) }))
      .filter((c) => c.state !== 'planned');
  }

  /**
   * Loads an example data file into the plan it names (`frameworkCode`). A plan the installation does not
   * hold is refused, or, with `skipUnknownPlan` (start-up with a narrower FRAMEWORK_FILE), left out.
   */
  async load(
    file: string,
    today = todayInBremen(),
    options: { skipUnknownPlan?: boolean } = {},
  ): Promise<{ measures: number; reports: number }> {
    const written = await readExampleDataFile(file);
    const data = shiftExampleData(written, yearsSince(written.writtenAt, today));
    const framework = await this.dataSource.manager.findOneBy(Framework, { code: data.frameworkCode });
    if (!framework) {
      if (options.skipUnknownPlan) return { measures: 0, reports: 0 };
      const loaded = (await this.dataSource.manager.find(Framework, { order: { id: 'ASC' } }))
        .map((f) => `"${f.code}"`)
        .join(', ');
      throw new FrameworkFileError(file, [
        `frameworkCode: der Plan "${data.frameworkCode}" ist nicht geladen (geladen: ${loaded || '-'})`,
      ]);
    }
    // Every service called below works on this plan (see resolvePlan).
    const parent = RequestContext.current() ?? { requestId: '', ipAddress: '' };
    return RequestContext.run({ ...parent, planId: framework.id, words: vocabularyOf(framework) }, () =>
      this.loadInto(framework.id, data, file, today),
    );
  }

  private async loadInto(
    frameworkId: number,
    data: ExampleDataFile,
    file: string,
    today: string,
  ): Promise<{ measures: number; reports: number }> {
    const result = await RequestContext.withAudit({ action: 'example_data', note: file }, () =>
      this.transactions.run(async (manager) => {
        const codes = async <T extends { id: number; code: string; frameworkId: number }>(
          entity: new () => T,
        ): Promise<Map<string, number>> =>
          new Map(
            (await manager.find(entity, { where: { frameworkId } as FindOptionsWhere<T> })).map((row) => [
              row.code,
              row.id,
            ]),
          );
        const goals = await codes(Goal);
        const fields = await codes(ActionField);
        const departments = new Map((await manager.find(Department)).map((d) => [d.code, d.id]));
        const planMeasures = await manager.find(Measure, {
          where: { frameworkId },
          select: { id: true, code: true },
        });
        // A measure renamed by a revision (Fortschreibung) is there under its new code: its old one counts too.
        const renamed = planMeasures.length
          ? await manager.find(MeasureHistory, {
              where: { measureId: In(planMeasures.map((m) => m.id)) },
              select: { codeBefore: true },
            })
          : [];
        const existing = new Set([...planMeasures.map((m) => m.code), ...renamed.map((h) => h.codeBefore)]);
        const lookup = (map: Map<string, number>, code: string, path: string): number => {
          const id = map.get(code);
          if (id === undefined) throw new FrameworkFileError(file, [`${path}: unbekannter Code "${code}"`]);
          return id;
        };
        let measureCount = 0;
        let reportCount = 0;
        for (const [index, entry] of data.measures.entries()) {
          if (existing.has(entry.code)) continue;
          const path = `measures[${index}]`;
          const measure = await this.measures.createWithin(
            manager,
            {
              code: entry.code,
              title: entry.title,
              description: entry.description,
              actionFieldId: lookup(fields, entry.actionFieldCode, `${path}.actionFieldCode`),
              goalIds: entry.goalCodes.map((c) => lookup(goals, c, `${path}.goalCodes`)),
              leadDepartmentId: lookup(departments, entry.leadDepartmentCode, `${path}.leadDepartmentCode`),
              participatingDepartmentIds: (entry.participatingDepartmentCodes ?? []).map((c) =>
                lookup(departments, c, `${path}.participatingDepartmentCodes`),
              ),
              level: entry.level,
              targetGroups: entry.targetGroups ?? [],
              plannedStart: entry.plannedStart ?? null,
              plannedEnd: entry.plannedEnd ?? null,
              budget: entry.budget ?? null,
            },
            LOADER,
            { isExample: true },
          );
          measureCount++;
          for (const report of entry.statusReports) {
            await this.reports.append(manager, measure, {
              ...report,
              authorId: null,
              reviewedById: null,
              isExample: true,
            });
            reportCount++;
          }
        }
        return { measures: measureCount, reports: reportCount };
      }),
    );
    if (result.measures > 0) {
      await this.loadGovernance(data, file, frameworkId);
      await this.moveCycles(await this.cycleTargets(data, today), file);
      this.logger.log(`Beispieldaten geladen: ${result.measures} Maßnahmen, ${result.reports} Meldungen`);
    }
    return result;
  }
}
