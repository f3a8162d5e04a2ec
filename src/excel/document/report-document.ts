/**
 * The Umsetzungsbericht as a document (the model the PDF and the DOCX are laid out from): title page,
 * contents, summary with figures and charts, per action field its measures with status and Sachstand,
 * governance, indicators, changes and the Fortschreibung. Everything comes from the rows and sections the
 * workbook is written from (report-data.ts), with the workbook's labels. Obstacles, next steps, budget and
 * authors are left out: a published document is read by everyone. Every label says the plan's words (its
 * vocabulary: Ziel, Handlungsfeld, Maßnahme, Ressort, Gremium, Umsetzungsbericht); with the Bremen words the
 * document is the one it always was.
 */
import {
  type GroupBreakdown,
  STATUS_KEY_LABELS,
  STATUS_KEYS,
  type StatusKey,
} from '../../dashboard/dashboard.service.js';
import type { ActionField } from '../../framework/action-field.entity.js';
import { DEFAULT_VOCABULARY, type PlanVocabulary, vocabularyOf } from '../../framework/plans.service.js';
import { CYCLE_STATE_LABELS } from '../../reporting/reporting-cycle.entity.js';
import { dativePlural, germanDate, germanNumber } from '../../web/format.js';
import { wordedIn } from '../plan-words.js';
import type { ReportSummary } from '../report-summary.js';
import type { CadenceRow, MeetingRow } from '../report/bodies.sheet.js';
import type { ChangeRow } from '../report/changes.sheet.js';
import type { DecisionRow } from '../report/decisions.sheet.js';
import type { IndicatorRow } from '../report/indicators.sheet.js';
import { fieldLabel, statusLabel } from '../report/measures.sheet.js';
import type { ReportContext, ReportMeasure, ReportSections } from '../report/report-data.js';
import { areasNote, DRAFT_LABEL, EXAMPLE_NOTICE, formatDate, goalsNote } from '../report/report-labels.js';
import type { RevisionRow } from '../report/revisions.sheet.js';

export type ChapterKey = 'summary' | 'measures' | 'governance' | 'indicators' | 'changes' | 'revisions';

/** The chapters' titles in the plan's words, in their order. */
export function documentChapters(words: PlanVocabulary): Record<ChapterKey, string> {
  return {
    summary: 'Zusammenfassung',
    measures: `${words.fields} und ${words.measures}`,
    governance: `${words.bodies} und Beteiligung`,
    indicators: 'Indikatoren',
    changes: 'Veränderungen',
    revisions: wordedIn(words, 'Fortschreibung des Rahmenkonzepts', 'Fortschreibung des Plans'),
  };
}

/** The chapters' titles in the Bremen words. */
export const DOCUMENT_CHAPTERS: Readonly<Record<ChapterKey, string>> = Object.freeze(
  documentChapters(DEFAULT_VOCABULARY),
);

export interface DocumentMeasure {
  code: string;
  title: string;
  goals: string;
  department: string;
  statusKey: StatusKey;
  status: string;
  progress: string;
  reportedAt: string;
  summary: string;
  /** Its status change against the previous closed cycle, e.g. "Status verbessert, zuvor geplant"; or ''. */
  change: string;
}

export interface DocumentField {
  code: string;
  heading: string;
  /** The caption of its table of measures (DOCX). */
  caption: string;
  measures: DocumentMeasure[];
}

export interface StatusLine {
  key: StatusKey;
  label: string;
  count: number;
  share: string;
}

/** A breakdown table (goals, fields, departments) with its numbers as text. */
export interface DocumentGroups {
  id: string;
  heading: string;
  label: string;
  note: string;
  groups: GroupBreakdown[];
  rows: { code: string; title: string; total: number; counts: number[]; average: string }[];
  sums: { total: number; counts: number[] };
}

type DocumentChange = ChangeRow & { fromText: string; toText: string };

/** The sentences and captions that name the plan's parts, in its words. */
export interface DocumentTexts {
  /** How many measures, and their average progress. */
  summary: string;
  /** Caption of the totals by status; also a chart's and a breakdown table's caption with "je …". */
  byStatus: string;
  /** What the PDF lists per measure (one line each). */
  measuresIntro: string;
  /** What the DOCX's table per field holds. */
  measuresTableIntro: string;
  noMeasures: string;
  cadenceCaption: string;
  noBodies: string;
  /** Where the PDF shows the status changes: at each measure. */
  statusChangesAt: string;
  /** Caption of the PDF's recorded changes. */
  recordedCaption: string;
  /** Caption of the DOCX's changes. */
  changesCaption: string;
  revisionsCaption: string;
}

export interface ReportDocument {
  /** The plan's words for its parts. */
  words: PlanVocabulary;
  /** As in the PDF's and DOCX's properties. */
  title: string;
  subject: string;
  planName: string;
  region: string;
  cycleCode: string;
  cycleName: string;
  period: string;
  stateLabel: string;
  generated: string;
  basis: string;
  draft: boolean;
  example: boolean;
  draftNotice: string;
  exampleNotice: string;
  /** The chapters the document has, for its contents. */
  chapters: { key: ChapterKey; title: string }[];
  /** Every chapter's title. */
  headings: Record<ChapterKey, string>;
  texts: DocumentTexts;
  statusLabels: string[];
  totals: { lines: StatusLine[]; total: number; average: string };
  breakdowns: DocumentGroups[];
  fields: DocumentField[];
  cadence: CadenceRow[];
  meetings: (MeetingRow & { dateText: string; participantsText: string })[];
  decisions: (DecisionRow & { dateText: string; dueText: string })[];
  indicators: (IndicatorRow & { baseline: string; target: string; latest: string; progressText: string })[];
  changes: {
    note: string;
    rows: DocumentChange[];
    /** The changes recorded for measures (not the status changes, which the PDF shows at each measure). */
    recorded: DocumentChange[];
  };
  revisions: (RevisionRow & { dateText: string })[];
}

const withYear = (value: number | null, year: number | null): string =>
  value === null ? '–' : `${germanNumber(value, 1)}${year === null ? '' : ` (${year})`}`;

function groups(
  id: string,
  heading: string,
  label: string,
  list: GroupBreakdown[],
  note = '',
): DocumentGroups {
  const rows = list.map((g) => ({
    code: g.code,
    title: g.title,
    total: g.total,
    counts: STATUS_KEYS.map((k) => g.counts[k]),
    average: germanNumber(g.averageProgress, 1),
  }));
  return {
    id,
    heading,
    label,
    note,
    groups: list,
    rows,
    sums: {
      total: list.reduce((a, g) => a + g.total, 0),
      counts: STATUS_KEYS.map((k) => list.reduce((a, g) => a + g.counts[k], 0)),
    },
  };
}

export function buildReportDocument(
  context: ReportContext,
  measures: ReportMeasure[],
  actionFields: Map<number, ActionField>,
  summary: ReportSummary,
  sections: ReportSections,
): ReportDocument {
  const { cycle, framework, draft, generatedAt, snapshot } = context;
  const words = vocabularyOf(framework);
  const total = summary.totals.total;
  const changes: DocumentChange[] = sections.changes.rows.map((r) => ({
    ...r,
    fromText: r.from ? STATUS_KEY_LABELS[r.from] : r.to ? '–' : '',
    toText: r.to ? STATUS_KEY_LABELS[r.to] : '',
  }));
  // The status changes come first; each is shown with its measure.
  const statusChanges = new Map(
    changes
      .slice(0, sections.changes.statusChanges)
      .map((r) => [r.code, r.from ? `${r.change}, zuvor ${r.fromText}` : r.change]),
  );
  // The measures by action field, in the order of the summary (the framework's), each in code order.
  const byField = new Map<string, DocumentField>();
  const field = (code: string, heading: string): DocumentField => ({
    code,
    heading,
    caption: wordedIn(
      words,
      `Maßnahmen im Handlungsfeld ${heading}`,
      `${words.measures} – ${words.field} ${heading}`,
    ),
    measures: [],
  });
  for (const group of summary.byActionField)
    byField.set(group.code, field(group.code, `${group.code} ${group.title}`));
  for (const { state, key } of measures) {
    const code = state.master.actionFieldCode;
    let listed = byField.get(code);
    if (!listed) byField.set(code, (listed = field(code, fieldLabel(state, actionFields))));
    listed.measures.push({
      code: state.code,
      title: state.master.title,
      goals: state.master.goalCodes.join(', '),
      department: state.master.leadDepartmentName,
      statusKey: key,
      status: statusLabel(key),
      progress: state.progress === null ? '–' : `${state.progress} %`,
      reportedAt: state.reportedAt ? germanDate(state.reportedAt) : '–',
      summary: state.summary ?? '',
      change: statusChanges.get(state.code) ?? '',
    });
  }
  const headings = documentChapters(words);
  const chapters: ReportDocument['chapters'] = (Object.keys(headings) as ChapterKey[])
    .filter((key) => key !== 'revisions' || sections.revisions.length > 0)
    .map((key) => ({ key, title: headings[key] }));
  const average =
    summary.totals.averageProgress === null ? '–' : `${germanNumber(summary.totals.averageProgress, 1)} %`;
  return {
    words,
    title: `${words.report} ${cycle.code}${draft ? ' (Entwurf)' : ''}`,
    subject: `${framework?.name ?? 'Rahmenkonzept'} – Berichtszyklus ${cycle.code} (${germanDate(cycle.periodStart)} bis ${germanDate(cycle.periodEnd)})`,
    planName: framework?.name ?? 'Rahmenkonzept',
    region: framework?.region ?? '',
    cycleCode: cycle.code,
    cycleName: cycle.name,
    period: `${germanDate(cycle.periodStart)} bis ${germanDate(cycle.periodEnd)}`,
    stateLabel: draft ? 'in Bearbeitung' : CYCLE_STATE_LABELS[cycle.state],
    generated: formatDate(generatedAt),
    basis: snapshot
      ? `Eingefrorener Stand zum Abschluss des Berichtszyklus am ${formatDate(new Date(snapshot.takenAt))}.`
      : 'Laufender Stand; der Berichtszyklus ist noch nicht abgeschlossen.',
    draft,
    example: summary.containsExampleData,
    draftNotice: DRAFT_LABEL,
    exampleNotice: EXAMPLE_NOTICE,
    chapters,
    headings,
    texts: documentTexts(words, headings, total, average, draft),
    statusLabels: STATUS_KEYS.map((k) => STATUS_KEY_LABELS[k]),
    totals: {
      lines: STATUS_KEYS.map((key) => ({
        key,
        label: STATUS_KEY_LABELS[key],
        count: summary.totals.counts[key],
        share: `${germanNumber(total === 0 ? 0 : (summary.totals.counts[key] / total) * 100, 1)} %`,
      })),
      total,
      average,
    },
    breakdowns: [
      groups('ziele', words.goals, words.goal, summary.byGoal, goalsNote(words)),
      groups('handlungsfelder', words.fields, words.field, summary.byActionField),
      groups('ressorts', words.organisations, `${words.organisation} (federführend)`, summary.byDepartment),
      ...(summary.byArea.length
        ? [groups('gebiete', 'Gebiete', 'Gebiet', summary.byArea, areasNote(words))]
        : []),
    ],
    fields: [...byField.values()].filter((f) => f.measures.length > 0),
    cadence: sections.cadence,
    meetings: sections.meetings.map((m) => ({
      ...m,
      dateText: germanDate(m.date),
      participantsText: m.participants === null ? '–' : String(m.participants),
    })),
    decisions: sections.decisions.map((d) => ({
      ...d,
      dateText: germanDate(d.date),
      dueText: germanDate(d.due),
    })),
    indicators: sections.indicators.map((i) => ({
      ...i,
      baseline: withYear(i.baselineValue, i.baselineYear),
      target: withYear(i.targetValue, i.targetYear),
      latest: withYear(i.latestValue, i.latestYear),
      progressText: i.progress === null ? '–' : `${germanNumber(i.progress, 1)} %`,
    })),
    changes: {
      note: sections.changes.note,
      rows: changes,
      recorded: changes.slice(sections.changes.statusChanges),
    },
    revisions: sections.revisions.map((r) => ({ ...r, dateText: germanDate(r.date) })),
  };
}

/** The document's sentences and captions in the plan's words (Bremen's own where the words are Bremen's). */
function documentTexts(
  words: PlanVocabulary,
  headings: Record<ChapterKey, string>,
  total: number,
  average: string,
  draft: boolean,
): DocumentTexts {
  const { measures, field, goals, bodies } = words;
  return {
    summary: `Der Bericht umfasst ${total} ${measures}${draft ? ' (vorläufiger Stand)' : ''}. Der durchschnittliche Fortschritt der ${measures} mit Meldung beträgt ${average}.`,
    byStatus: `${measures} nach Status`,
    measuresIntro: wordedIn(
      words,
      'Je Handlungsfeld die Maßnahmen, eine je Zeile: Code und Titel; der Status mit Fortschritt, dem Datum der letzten angenommenen Meldung und der Veränderung gegenüber dem vorigen abgeschlossenen Berichtszyklus; der Sachstand dieser Meldung. Federführung und Ziele jeder Maßnahme enthält die Arbeitsmappe des Berichts.',
      `Je ${field} die ${measures}, jeweils in einer Zeile: Code und Titel; der Status mit Fortschritt, dem Datum der letzten angenommenen Meldung und der Veränderung gegenüber dem vorigen abgeschlossenen Berichtszyklus; der Sachstand dieser Meldung. Federführung und ${goals} der ${measures} enthält die Arbeitsmappe des Berichts.`,
    ),
    measuresTableIntro: `Je ${field} die ${measures} mit ihren ${dativePlural(goals)}, der federführenden Stelle, dem Status und dem Sachstand der letzten angenommenen Meldung.`,
    noMeasures: `Keine ${measures}.`,
    cadenceCaption: `Sitzungen der ${bodies} je Jahr gegenüber dem Soll`,
    noBodies: `Keine ${bodies} erfasst.`,
    statusChangesAt: wordedIn(
      words,
      `Die Statusveränderung jeder Maßnahme steht im Kapitel „${headings.measures}“ bei ihrem Status.`,
      `Die Statusveränderungen stehen im Kapitel „${headings.measures}“ jeweils beim Status.`,
    ),
    recordedCaption: `Erfasste Änderungen an ${dativePlural(measures)}`,
    changesCaption: `Veränderungen an ${dativePlural(measures)}`,
    revisionsCaption: wordedIn(
      words,
      'Änderungen des Rahmenkonzepts im Berichtszeitraum',
      'Änderungen des Plans im Berichtszeitraum',
    ),
  };
}
