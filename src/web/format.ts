/** German formats for the pages: dates 15.03.2024, numbers 1.234,5. Formatters are built once, not per call. */
const DATE = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const DATE_TIME = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  dateStyle: 'medium',
  timeStyle: 'short',
});
const NUMBERS = new Map<number, Intl.NumberFormat>();

export function germanDate(value: string | Date | null | undefined): string {
  if (!value) return '–';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value))
    return value.split('-').reverse().join('.');
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '–';
  return DATE.format(date);
}

export function germanDateTime(value: string | Date | null | undefined): string {
  if (!value) return '–';
  const date = value instanceof Date ? value : new Date(value);
  return DATE_TIME.format(date);
}

export function germanNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  let format = NUMBERS.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    NUMBERS.set(digits, format);
  }
  return format.format(value);
}

/**
 * A plural in the dative ("nach Zielen", "nach Projekten", "nach Strategischen Zielen"): the noun (the last word)
 * takes an -n unless it ends in -n or -s; an adjective before it in -e takes an -n as well.
 */
export function dativePlural(phrase: string): string {
  const words = phrase.split(' ');
  const noun = words.pop() ?? '';
  return [...words.map((w) => (/e$/.test(w) ? `${w}n` : w)), /[ns]$/.test(noun) ? noun : `${noun}n`].join(
    ' ',
  );
}
