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
import { readExampleDataFile } from './example-data-file.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import type { CycleState } from '../reporting/reporting-cycle.entity.js';

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
  ) {}

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

  async load(file: string): Promise<{ measures: number; reports: number }> {
    const data = await readExampleDataFile(file);
    const result = await RequestContext.withAudit({ action: 'example_data', note: file }, () =>
      this.transactions.run(async (manager) => {
        const [framework] = await manager.find(Framework, { take: 1 });
        if (!framework || framework.code !== data.frameworkCode) {
          throw new FrameworkFileError(file, [
            `frameworkCode: passt nicht zum geladenen Rahmenkonzept "${framework?.code ?? '-'}"`,
          ]);
        }
        const codes = async <T extends { id: number; code: string }>(
          entity: new () => T,
        ): Promise<Map<string, number>> =>
          new Map((await manager.find(entity)).map((row) => [row.code, row.id]));
        const goals = await codes(Goal);
        const fields = await codes(ActionField);
        const departments = await codes(Department);
        const existing = new Set(
          (await manager.find(Measure, { select: { code: true } })).map((m) => m.code),
        );
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
          // A history that ends in "eingestellt" means the measure was ended: record it as its lifecycle too.
          const refreshed = await manager.findOneByOrFail(Measure, { id: measure.id });
          if (refreshed.status === 'discontinued') {
            refreshed.lifecycle = 'discontinued';
            refreshed.lifecycleReason = 'Eingestellt laut letzter Sachstandsmeldung (Beispieldaten)';
            refreshed.version += 1;
            await manager.save(Measure, refreshed);
          }
        }
        return { measures: measureCount, reports: reportCount };
      }),
    );
    if (result.measures > 0) {
      await this.moveCycles(data.reportingCycles ?? [], file);
      this.logger.log(`Beispieldaten geladen: ${result.measures} Maßnahmen, ${result.reports} Meldungen`);
    }
    return result;
  }
}
