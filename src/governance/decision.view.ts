/**
 * The JSON shape of a decision (Beschluss): its meeting and body, the linked measures, German labels and
 * whether it is overdue; built for a whole page of decisions in two queries.
 */
import { type EntityManager, In } from 'typeorm';
import { num, queryNamed } from '../database/sql.js';
import type { MeasureChange } from '../measures/measure-change.entity.js';
import type { DecisionStateChange } from './decision-state-change.entity.js';
import type { Decision } from './decision.entity.js';
import { DECISION_KIND_LABELS, DECISION_STATE_LABELS, type DecisionState } from './governance.constants.js';
import { Meeting } from './meeting.entity.js';

export interface DecisionView {
  id: number;
  meetingId: number;
  meetingDate: string;
  meetingTitle: string;
  bodyId: number;
  bodyName: string;
  kind: Decision['kind'];
  kindLabel: string;
  text: string;
  measureIds: number[];
  responsibleDepartmentId: number;
  dueDate: string | null;
  state: DecisionState;
  stateLabel: string;
  overdue: boolean;
  isExample: boolean;
  version: number;
  history?: DecisionStateChange[];
  changes?: MeasureChange[];
}

/** The states in which a decision is still to be carried out (and can be overdue). */
export const OPEN_STATES: DecisionState[] = ['open', 'in_progress'];

export async function decisionViews(
  manager: EntityManager,
  decisions: Decision[],
  today: string,
): Promise<DecisionView[]> {
  if (decisions.length === 0) return [];
  const ids = decisions.map((d) => d.id);
  const links = await queryNamed<{ decisionId: number; measureId: number }>(
    manager,
    `SELECT "decisionId", "measureId" FROM "decision_measures" WHERE "decisionId" IN (:...ids) ORDER BY "measureId"`,
    { ids },
  );
  const meetings = new Map(
    (
      await manager.find(Meeting, {
        where: { id: In([...new Set(decisions.map((d) => d.meetingId))]) },
        relations: { body: true },
      })
    ).map((m) => [m.id, m]),
  );
  return decisions.map((d) => {
    const meeting = meetings.get(d.meetingId);
    return {
      id: d.id,
      meetingId: d.meetingId,
      meetingDate: meeting?.date ?? '',
      meetingTitle: meeting?.title ?? '',
      bodyId: meeting?.bodyId ?? 0,
      bodyName: meeting?.body?.name ?? '',
      kind: d.kind,
      kindLabel: DECISION_KIND_LABELS[d.kind],
      text: d.text,
      measureIds: links.filter((l) => num(l.decisionId) === d.id).map((l) => num(l.measureId)),
      responsibleDepartmentId: d.responsibleDepartmentId,
      dueDate: d.dueDate,
      state: d.state,
      stateLabel: DECISION_STATE_LABELS[d.state],
      overdue: !!d.dueDate && d.dueDate < today && OPEN_STATES.includes(d.state),
      isExample: d.isExample,
      version: d.version,
    };
  });
}
