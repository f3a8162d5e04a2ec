/**
 * The example data reaches today: a file says on which day it was written (`writtenAt`), and on loading every
 * date in it moves forward by whole years, as many as have passed since then. Whole years keep the calendar:
 * reports stay at month ends, and the biennial reporting cycles keep their share of the history. The cycles
 * themselves belong to the framework and keep their dates; their demo states follow from today.
 */
import type { CycleState } from '../reporting/reporting-cycle.entity.js';
import type { ExampleDataFile } from './example-data-file.js';

/** A date `years` later; 29 February becomes 28 February in a year without it. */
export function addYears(date: string, years: number): string {
  if (years === 0) return date;
  const year = Number(date.slice(0, 4)) + years;
  let rest = date.slice(4);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (rest === '-02-29' && !leap) rest = '-02-28';
  return `${String(year).padStart(4, '0')}${rest}`;
}

/** How many whole years lie between the day the data was written and today (never negative). */
export function yearsSince(writtenAt: string | undefined, today: string): number {
  if (!writtenAt) return 0;
  let years = Number(today.slice(0, 4)) - Number(writtenAt.slice(0, 4));
  if (years > 0 && addYears(writtenAt, years) > today) years--;
  return Math.max(0, years);
}

/** The file with every date moved forward by `years` (indicator values keep their statistical years). */
export function shiftExampleData(data: ExampleDataFile, years: number): ExampleDataFile {
  if (years === 0) return data;
  const shift = <T extends string | null | undefined>(date: T): T =>
    (typeof date === 'string' && date !== '' ? addYears(date, years) : date) as T;
  return {
    ...data,
    writtenAt: shift(data.writtenAt),
    measures: data.measures.map((m) => ({
      ...m,
      plannedStart: shift(m.plannedStart),
      plannedEnd: shift(m.plannedEnd),
      statusReports: m.statusReports.map((r) => ({ ...r, reportedAt: shift(r.reportedAt) })),
    })),
    meetings: data.meetings?.map((m) => ({ ...m, date: shift(m.date) })),
    decisions: data.decisions?.map((d) => ({
      ...d,
      dueDate: shift(d.dueDate),
      apply: d.apply && { ...d.apply, plannedEnd: shift(d.apply.plannedEnd) },
    })),
  };
}

const PATH: CycleState[] = ['planned', 'collecting', 'reviewing', 'closed', 'published'];

/**
 * The state a demo cycle has today: published once its publication target has passed, closed once its input
 * deadline has passed, collecting once its period has begun; never behind the state the file lists.
 */
export function demoCycleState(
  cycle: { periodStart: string; inputDeadline: string; publicationTarget: string | null },
  listed: CycleState | undefined,
  today: string,
): CycleState {
  const byDate: CycleState =
    cycle.publicationTarget && cycle.publicationTarget < today
      ? 'published'
      : cycle.inputDeadline < today
        ? 'closed'
        : cycle.periodStart <= today
          ? 'collecting'
          : 'planned';
  return listed && PATH.indexOf(listed) > PATH.indexOf(byDate) ? listed : byDate;
}
