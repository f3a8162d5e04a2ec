/** The codes of an indicator's refusals (`INDICATOR.…`), including its value import. */
export enum IndicatorError {
  NOT_FOUND = 'INDICATOR.NOT_FOUND',
  STALE_VERSION = 'INDICATOR.STALE_VERSION',
  VALUE_EXISTS = 'INDICATOR.VALUE_EXISTS',
  VALUE_NOT_FOUND = 'INDICATOR.VALUE_NOT_FOUND',
  NO_SHEET = 'INDICATOR.NO_SHEET',
  EMPTY = 'INDICATOR.EMPTY',
}
