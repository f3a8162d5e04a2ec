/** The codes of an Umsetzungsbericht's refusals (`REPORT.…`): generating, storing and downloading it. */
export enum ReportError {
  NOT_FOUND = 'REPORT.NOT_FOUND',
  FILE_MISSING = 'REPORT.FILE_MISSING',
  USE_POST = 'REPORT.USE_POST',
  STORAGE_FULL = 'REPORT.STORAGE_FULL',
  STORAGE_NOT_WRITABLE = 'REPORT.STORAGE_NOT_WRITABLE',
}
