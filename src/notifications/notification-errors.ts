/** The codes of the reminders' refusals (`NOTIFICATION.…`). */
export enum NotificationError {
  NOT_CONFIGURED = 'NOTIFICATION.NOT_CONFIGURED',
  BUSY = 'NOTIFICATION.BUSY',
}
