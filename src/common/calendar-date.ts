/**
 * "Is this a real calendar date?" for the JJJJ-MM-TT strings that forms, the API, Excel imports and the
 * command line accept. A pattern alone lets 2025-02-30 through; the date must also survive a round trip
 * through the calendar.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a string JJJJ-MM-TT that names a day that exists (2024-02-29 yes, 2025-02-30 no). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** "2025-02-30" → "30.02.2025": how a German message names the date the user typed. */
export function germanDate(value: string): string {
  const match = ISO_DATE.exec(value);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : value;
}
