/** The codes of a status report's refusals (`STATUS_REPORT.…`). */
export enum StatusReportError {
  NOT_FOUND = 'STATUS_REPORT.NOT_FOUND',
  ALREADY_REVIEWED = 'STATUS_REPORT.ALREADY_REVIEWED',
  REVIEW_ADMIN_ONLY = 'STATUS_REPORT.REVIEW_ADMIN_ONLY',
  /** A review of several reports refused as a whole, because one or more of them cannot be reviewed. */
  REVIEW_REFUSED = 'STATUS_REPORT.REVIEW_REFUSED',
}
