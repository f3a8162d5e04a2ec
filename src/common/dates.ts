/** Dates as Bremen sees them: "today" is the calendar day in Europe/Berlin, as YYYY-MM-DD. */

const BREMEN_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' });

/** Today in Bremen, as YYYY-MM-DD (one formatter for all calls: building one costs more than a request). */
export function todayInBremen(now = new Date()): string {
  return BREMEN_DAY.format(now);
}
