/**
 * The Beschlüsse sheet of the Umsetzungsbericht: the decisions taken in the reporting period, with their
 * responsible department, due date, state, whether they are overdue at the report's cut-off, and their measures.
 */
import { DEFAULT_VOCABULARY, type PlanVocabulary } from '../../framework/plans.service.js';
import type { EntityManager } from 'typeorm';
import { Department } from '../../framework/department.entity.js';
import type { GovernanceService } from '../../governance/governance.service.js';
import { measureCodesAsOf } from '../../framework/revisions/codes-as-of.js';
import { EXAMPLE_LABEL } from '../../measures/measure.view.js';
import type { ReportingCycle } from '../../reporting/reporting-cycle.entity.js';
import { addTableSheet, DATE_FORMAT, excelDate } from '../workbook-style.js';
import type { FrameworkAtClose } from '../../reporting/framework-at-close.js';
import type { ReportWorkbook } from './report-labels.js';

/** A decision taken in the reporting period, as the report lists it. */
export interface DecisionRow {
  /** ISO date of the meeting. */
  date: string;
  body: string;
  kind: string;
  text: string;
  department: string;
  /** ISO date, or null. */
  due: string | null;
  state: string;
  overdue: 'ja' | 'nein';
  measures: string;
  example: string;
}

/** The decisions of the period with their state at the report's cut-off and their measures' codes then. */
export async function decisionRows(
  manager: EntityManager,
  governance: GovernanceService,
  cycle: ReportingCycle,
  asOf: Date,
  frozenBodies?: FrameworkAtClose['bodies'],
): Promise<DecisionRow[]> {
  const departments = new Map((await manager.find(Department)).map((d) => [d.id, d.name]));
  const decisions = await governance.decisionsInPeriod(
    cycle.frameworkId,
    cycle.periodStart,
    cycle.periodEnd,
    asOf,
  );
  // The codes as at the cut-off: a later revision may have renamed a measure.
  const codes = await measureCodesAsOf(manager, [...new Set(decisions.flatMap((d) => d.measureIds))], asOf);
  // A closed cycle names the bodies as they were named at the close.
  const bodyNames = new Map((frozenBodies ?? []).map((b) => [b.id, b.title]));
  const day = asOf.toISOString().slice(0, 10);
  return decisions.map((d) => ({
    date: d.meetingDate,
    body: bodyNames.get(d.bodyId) ?? d.bodyName,
    kind: d.kindLabel,
    text: d.text,
    department: departments.get(d.responsibleDepartmentId) ?? '',
    due: d.dueDate,
    state: d.stateLabel,
    overdue:
      d.dueDate && d.dueDate < day && (d.state === 'open' || d.state === 'in_progress') ? 'ja' : 'nein',
    measures: d.measureIds.map((id) => codes.get(id) ?? String(id)).join(', '),
    example: d.isExample ? EXAMPLE_LABEL : '',
  }));
}

export function writeDecisionsSheet(
  workbook: ReportWorkbook,
  rows: DecisionRow[],
  words: PlanVocabulary = DEFAULT_VOCABULARY,
): void {
  const sheet = addTableSheet(workbook, 'Beschlüsse', [
    {
      header: 'Sitzung vom',
      key: 'date',
      width: 12,
      style: { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } },
    },
    { header: words.body, key: 'body', width: 30 },
    { header: 'Art', key: 'kind', width: 16 },
    { header: 'Beschluss', key: 'text', width: 60 },
    { header: 'Verantwortlich', key: 'department', width: 28 },
    {
      header: 'Fällig',
      key: 'due',
      width: 12,
      style: { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } },
    },
    { header: 'Stand', key: 'state', width: 15 },
    { header: 'Überfällig', key: 'overdue', width: 11 },
    { header: words.measures, key: 'measures', width: 22 },
    { header: 'Beispieldaten', key: 'example', width: 13 },
  ]);
  for (const row of rows)
    sheet.addRow({ ...row, date: excelDate(row.date), due: excelDate(row.due) }).commit();
  sheet.commit();
}
