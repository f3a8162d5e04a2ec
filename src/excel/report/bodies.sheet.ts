/**
 * The Gremien sheet of the Umsetzungsbericht: each body's meetings per year of the cycle against its cadence,
 * then the meetings held in the reporting period, as recorded by the report's cut-off.
 */
import { DEFAULT_VOCABULARY, type PlanVocabulary } from '../../framework/plans.service.js';
import { reportSheetName } from '../plan-words.js';
import { participationLabel } from '../../governance/governance.constants.js';
import { cadenceStatus, type GovernanceService, intervalText } from '../../governance/governance.service.js';
import type { ReportingCycle } from '../../reporting/reporting-cycle.entity.js';
import { membersOn } from '../../governance/governance-body.entity.js';
import {
  addTableSheet,
  DATE_FORMAT,
  excelDate,
  HEADER_STYLE,
  INTEGER_FORMAT,
  TOTAL_FONT,
} from '../workbook-style.js';
import type { FrameworkAtClose } from '../../reporting/framework-at-close.js';
import type { ReportWorkbook } from './report-labels.js';

/** A body's meetings in one year of the cycle, against its cadence. */
export interface CadenceRow {
  name: string;
  year: number;
  held: number;
  cadence: string;
  status: string;
  description: string;
}

/** A member of a body at the period's end: an organisation with its representative's function, or a person by function. */
export interface MemberRow {
  body: string;
  member: string;
}

/** A meeting held in the reporting period. */
export interface MeetingRow {
  body: string;
  /** ISO date. */
  date: string;
  participants: number | null;
  title: string;
  place: string;
  summary: string;
}

const CADENCE_LABELS = {
  met: 'eingehalten',
  below: 'unterschritten',
  above: 'überschritten',
  running: 'Jahr läuft noch',
};

/** Each body's meetings per year against its cadence, and the meetings held in the period. */
export async function bodyRows(
  governance: GovernanceService,
  cycle: ReportingCycle,
  asOf: Date,
  frozen?: FrameworkAtClose['bodies'],
): Promise<{ cadence: CadenceRow[]; meetings: MeetingRow[]; members: MemberRow[] }> {
  // A closed cycle names its bodies as they were named at the close.
  const atClose = new Map((frozen ?? []).map((b) => [b.id, b]));
  const bodies = new Map(
    (await governance.bodies(cycle.frameworkId)).map((b) => [
      b.id,
      {
        ...b,
        name: atClose.get(b.id)?.title ?? b.name,
        description: atClose.get(b.id)?.description ?? b.description,
      },
    ]),
  );
  const cadence: CadenceRow[] = [];
  const firstYear = Number(cycle.periodStart.slice(0, 4));
  const lastYear = Number(cycle.periodEnd.slice(0, 4));
  for (let year = firstYear; year <= lastYear; year++) {
    for (const live of await governance.cadence(
      year,
      asOf.toISOString().slice(0, 10),
      asOf,
      cycle.frameworkId,
    )) {
      // A closed cycle: the bodies and cadences as they were at the close.
      const then = atClose.get(live.bodyId);
      if (frozen && !then) continue;
      const row =
        then?.min === undefined || live.cadenceKind === 'intervalWeeks'
          ? live
          : {
              ...live,
              min: then.min,
              max: then.max ?? null,
              status: cadenceStatus(live.held, then.min, then.max ?? null, year, asOf.getUTCFullYear()),
            };
      if (row.cadenceKind === 'intervalWeeks') {
        // A cadence in weeks is judged by the gaps between meetings, not by their number.
        cadence.push({
          name: bodies.get(row.bodyId)?.name ?? row.name,
          year,
          held: row.held,
          cadence: intervalText(row.intervalWeeksMin ?? 0, row.intervalWeeksMax),
          status: row.overdueLabel ?? CADENCE_LABELS.met,
          description: bodies.get(row.bodyId)?.description ?? '',
        });
        continue;
      }
      cadence.push({
        name: bodies.get(row.bodyId)?.name ?? row.name,
        year,
        held: row.held,
        cadence:
          row.max === null
            ? `mindestens ${row.min}`
            : row.min === row.max
              ? String(row.min)
              : `${row.min}–${row.max}`,
        status: CADENCE_LABELS[row.status],
        description: bodies.get(row.bodyId)?.description ?? '',
      });
    }
  }
  const meetings = (
    await governance.meetingsInPeriod(cycle.frameworkId, cycle.periodStart, cycle.periodEnd, asOf)
  ).map((meeting): MeetingRow => {
    const format = meeting.participationType ? ` (${participationLabel(meeting.participationType)})` : '';
    return {
      body: `${bodies.get(meeting.bodyId)?.name ?? ''}${format}`,
      date: meeting.date,
      participants: meeting.participantCount,
      title: meeting.title,
      place: meeting.place,
      summary: meeting.minutesSummary,
    };
  });
  // Who sat in each body at the period's end; a person without an organisation is named by function.
  const members = [...bodies.values()].flatMap((body) =>
    membersOn(body.members, cycle.periodEnd).map((m): MemberRow => ({
      body: body.name,
      member: m.departmentCode ? `${m.departmentCode} (${m.function})` : m.function,
    })),
  );
  return { cadence, meetings, members };
}

export function writeBodiesSheet(
  workbook: ReportWorkbook,
  cadence: CadenceRow[],
  meetings: MeetingRow[],
  members: MemberRow[] = [],
  words: PlanVocabulary = DEFAULT_VOCABULARY,
): void {
  const sheet = addTableSheet(workbook, reportSheetName('Gremien', words), [
    { header: words.body, key: 'name', width: 38 },
    { header: 'Jahr', key: 'year', width: 8 },
    { header: 'Sitzungen', key: 'held', width: 11, style: { numFmt: INTEGER_FORMAT } },
    { header: 'Soll je Jahr', key: 'cadence', width: 18 },
    { header: 'Einhaltung', key: 'status', width: 40 },
    { header: 'Beschreibung', key: 'description', width: 50 },
  ]);
  for (const row of cadence) sheet.addRow({ ...row }).commit();
  const gap = sheet.addRow([]);
  gap.commit();
  const title = sheet.addRow(['Sitzungen im Berichtszeitraum']);
  title.font = TOTAL_FONT;
  title.commit();
  const header = sheet.addRow([
    words.body,
    'Datum',
    'Teilnehmende',
    'Titel',
    'Ort / Format',
    'Zusammenfassung',
  ]);
  header.eachCell((cell) => (cell.style = HEADER_STYLE));
  header.commit();
  for (const meeting of meetings) {
    const row = sheet.addRow([
      meeting.body,
      excelDate(meeting.date),
      meeting.participants,
      meeting.title,
      meeting.place,
      meeting.summary,
    ]);
    row.getCell(2).numFmt = DATE_FORMAT;
    row.commit();
  }
  if (members.length) {
    sheet.addRow([]).commit();
    const heading = sheet.addRow(['Zusammensetzung am Ende des Berichtszeitraums']);
    heading.font = TOTAL_FONT;
    heading.commit();
    const memberHeader = sheet.addRow([
      'Gremium',
      'Mitglied (Organisation und Funktion, oder Person in ihrer Funktion)',
    ]);
    memberHeader.eachCell((cell) => (cell.style = HEADER_STYLE));
    memberHeader.commit();
    for (const member of members) sheet.addRow([member.body, member.member]).commit();
  }
  sheet.commit();
}
