/** The codes of a refused Maßnahmenplan workbook (`PLAN.…`). */
export enum PlanError {
  NO_SHEET = 'PLAN.NO_SHEET',
  EMPTY = 'PLAN.EMPTY',
}
