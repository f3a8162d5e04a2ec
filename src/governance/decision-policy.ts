/**
 * Who may move a decision's state: the coordinating unit, and editors of the department responsible for it.
 * The service enforces it for the decision written; the Gremien page shows the control by the same answer.
 */
import { ALLOW, deny, type PolicyDecision } from '../common/auth/policy.js';
import type { Actor } from '../common/context/request-context.js';
import type { Decision } from './decision.entity.js';
import { DecisionError } from './decision-errors.js';
import { coordinator, said } from '../framework/request-words.js';

export function canChangeDecisionState(
  actor: Actor,
  decision: Pick<Decision, 'responsibleDepartmentId'>,
): PolicyDecision {
  if (actor.role === 'admin') return ALLOW;
  if (
    actor.role === 'editor' &&
    actor.departmentId !== null &&
    actor.departmentId === decision.responsibleDepartmentId
  )
    return ALLOW;
  return deny(
    DecisionError.OUT_OF_SCOPE,
    said(
      'Den Stand dieses Beschlusses kann nur das verantwortliche Ressort oder die Koordinierungsstelle ändern.',
      (w) =>
        `Den Stand dieses Beschlusses können nur die verantwortliche Stelle (${w.organisation}) und ${coordinator()} ändern.`,
    ),
  );
}
