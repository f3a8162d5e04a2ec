/** The codes of a meeting's (Sitzung) refusals (`MEETING.…`). */
export enum MeetingError {
  NOT_FOUND = 'MEETING.NOT_FOUND',
  STALE_VERSION = 'MEETING.STALE_VERSION',
}
