/** The codes of a decision's (Beschluss) refusals (`DECISION.…`). */
export enum DecisionError {
  NOT_FOUND = 'DECISION.NOT_FOUND',
  STALE_VERSION = 'DECISION.STALE_VERSION',
  STATE_UNCHANGED = 'DECISION.STATE_UNCHANGED',
  OUT_OF_SCOPE = 'DECISION.OUT_OF_SCOPE',
}
