/**
 * The measure detail page, rendered from one place: after a plain visit, and again when a lifecycle form on it
 * was refused (with the reason typed kept). Shows the admin's lifecycle forms and the edit link to whoever the
 * measure policy lets write.
 */
import { Injectable } from '@nestjs/common';
import { levelsOf } from '../framework/plan-shape.js';
import type { Response } from 'express';
import { FrameworkService } from '../framework/framework.service.js';
import { planWords, said } from '../framework/request-words.js';
import { DecisionsService } from '../governance/decisions.service.js';
import { MEASURE_CHANGE_LABELS } from '../measures/measure-change.entity.js';
import { canChangeFields, canReportOn, canWriteMeasure } from '../measures/measure-policy.js';
import type { MeasureView } from '../measures/measure.view.js';
import { MeasuresService } from '../measures/measures.service.js';
import { StatusReportsService } from '../measures/status-reports.service.js';
import type { FormErrors } from './form-errors.js';
import { WebContext, type WebRequest } from './web-context.js';

/**
 * The fixed keys a redirect may carry (?meldung=…), and what the page then says: the plan's word for a measure
 * as a label before its code ("Maßnahme …", "Projekt …"), so that no article has to follow its gender.
 */
const MEASURE_MESSAGES: Record<string, string> = {
  angelegt: 'angelegt',
  geaendert: 'gespeichert',
  eingestellt: 'eingestellt',
  zusammengefuehrt: 'zusammengeführt',
  reaktiviert: 'reaktiviert',
};

/** The message after a redirect to a measure, in the words of the request's plan (the measure's own). */
export function measureMessage(key: unknown, code: string): string | undefined {
  return typeof key === 'string' && Object.hasOwn(MEASURE_MESSAGES, key)
    ? `${planWords().measure} ${code} ${MEASURE_MESSAGES[key]}`
    : undefined;
}

/** The measures page after "Übernehmen": ?plan=uebernommen&neu=2&geaendert=1 (a fixed key and two counts). */
export function planMessage(query: Record<string, unknown>): string | undefined {
  if (query.plan !== 'uebernommen') return undefined;
  const count = (value: unknown): number =>
    typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : 0;
  const what = said('Maßnahmenplan', (w) => `Plan der ${w.measures}`);
  return `${what} übernommen: ${count(query.neu)} neu, ${count(query.geaendert)} geändert`;
}

/** A refused lifecycle form: which one, what was typed, what was wrong. */
export interface LifecycleFormState extends Partial<FormErrors> {
  lifecycle: string;
  values: Record<string, unknown>;
  message?: string;
}

@Injectable()
export class MeasureDetailPage {
  constructor(
    private readonly measures: MeasuresService,
    private readonly reports: StatusReportsService,
    private readonly frameworks: FrameworkService,
    private readonly decisions: DecisionsService,
    private readonly context: WebContext,
  ) {}

  async render(
    request: WebRequest,
    response: Response,
    id: number,
    extra: { flash?: string; lifecycleForm?: LifecycleFormState } = {},
    status = 200,
  ): Promise<void> {
    const actor = request.actor!;
    // With its history across revisions: where it came from.
    const measure = await this.measures.detail(id);
    const [goals, fields, departments, plan] = await Promise.all([
      this.frameworks.listGoals(),
      this.frameworks.listActionFields(),
      this.frameworks.listDepartments(),
      this.frameworks.current(measure.frameworkId),
    ]);
    const changes = (await this.measures.listChanges(id)).map((c) => ({
      ...c,
      kindLabel: MEASURE_CHANGE_LABELS[c.kind],
    }));
    const canLifecycle = canChangeFields(actor, ['lifecycle']).allowed;
    response.status(status).render(
      'measure',
      await this.context.page(request, `${measure.code} ${measure.title}`, 'measures', {
        measure,
        field: fields.find((f) => f.id === measure.actionFieldId),
        goals: goals.filter((g) => measure.goalIds.includes(g.id)),
        departmentNames: Object.fromEntries(departments.map((d) => [d.id, d.name])),
        levelNames: Object.fromEntries(levelsOf(plan).map((l) => [l.code, l.name])),
        reports: await this.reports.listForMeasure(id),
        decisions: (
          await this.decisions.listDecisions({
            measureId: id,
            pageSize: 100,
            frameworkId: measure.frameworkId,
          })
        ).items,
        changes,
        canReport: canReportOn(actor, measure).allowed,
        canEdit: canWriteMeasure(actor, measure).allowed,
        canLifecycle,
        mergeTargets: canLifecycle && measure.lifecycle === 'active' ? await this.mergeTargets(measure) : [],
        mergedInto:
          measure.mergedIntoId !== null
            ? await this.measures.get(measure.mergedIntoId).catch(() => null)
            : null,
        lifecycleForm: extra.lifecycleForm ?? null,
        flash: extra.flash,
      }),
    );
  }

  /** Every other active measure, in code order. */
  private async mergeTargets(measure: MeasureView): Promise<MeasureView[]> {
    const targets: MeasureView[] = [];
    for (let page = 1; ; page++) {
      const result = await this.measures.list({ lifecycle: 'active', page, pageSize: 200 });
      targets.push(...result.items.filter((m) => m.id !== measure.id));
      if (page * result.pageSize >= result.total) return targets;
    }
  }
}
