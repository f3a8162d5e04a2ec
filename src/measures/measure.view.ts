/** The JSON shapes of measures and status reports, as DESIGN.md names their fields. */
import type { MeasureLevel, MeasureLifecycle, MeasureStatus, ReviewState } from './measure.constants.js';
import type { Measure } from './measure.entity.js';
import type { StatusReport } from './status-report.entity.js';
import { type StatusKey, statusKeyOf } from './measure-rules.js';

export const EXAMPLE_LABEL = 'Beispieldaten';

export interface MeasureView {
  id: number;
  /** The plan (Rahmenkonzept) the measure belongs to. */
  frameworkId: number;
  code: string;
  title: string;
  description: string;
  actionFieldId: number;
  goalIds: number[];
  leadDepartmentId: number;
  participatingDepartmentIds: number[];
  level: MeasureLevel;
  /** The plan's areas (e.g. Bezirksregionen) the measure works in. */
  areaIds: number[];
  areas: MeasureAreaView[];
  targetGroups: string[];
  plannedStart: string | null;
  plannedEnd: string | null;
  budget: number | null;
  lifecycle: MeasureLifecycle;
  lifecycleReason: string;
  mergedIntoId: number | null;
  lifecycleDecisionId: number | null;
  status: MeasureStatus | null;
  /** What the dashboard counts it as: "discontinued" when the lifecycle says so, else status, else "none". */
  statusKey: StatusKey;
  progress: number | null;
  statusDate: string | null;
  isExample: boolean;
  dataLabel?: string;
  version: number;
}

export interface MeasureAreaView {
  id: number;
  code: string;
  name: string;
}

/** One measure as GET /api/measures/:id shows it: with where it came from across revisions. */
export interface MeasureDetailView extends MeasureView {
  history: MeasureHistoryView[];
}

/** A move of the measure by a revision (Fortschreibung): code, field and lead department before and after. */
export interface MeasureHistoryView {
  id: number;
  measureId: number;
  revisionId: number;
  effectiveDate: string;
  codeBefore: string;
  codeAfter: string;
  actionFieldCodeBefore: string;
  actionFieldCodeAfter: string;
  leadDepartmentCodeBefore: string;
  leadDepartmentCodeAfter: string;
  reason: string;
  createdAt: string;
}

export interface StatusReportView {
  id: number;
  measureId: number;
  status: MeasureStatus;
  progress: number;
  summary: string;
  obstacles: string;
  nextSteps: string;
  reportedAt: string;
  authorId: number | null;
  reviewState: ReviewState;
  reviewComment: string;
  reviewedById: number | null;
  reviewedAt: string | null;
  correctsReportId: number | null;
  createdAt: string;
  isExample: boolean;
  dataLabel?: string;
}

export function toMeasureView(
  measure: Measure,
  goalIds: number[],
  participatingDepartmentIds: number[],
  areas: MeasureAreaView[] = [],
): MeasureView {
  return {
    id: measure.id,
    frameworkId: measure.frameworkId,
    code: measure.code,
    title: measure.title,
    description: measure.description,
    actionFieldId: measure.actionFieldId,
    goalIds: [...goalIds].sort((a, b) => a - b),
    leadDepartmentId: measure.leadDepartmentId,
    participatingDepartmentIds: [...participatingDepartmentIds].sort((a, b) => a - b),
    level: measure.level,
    areaIds: areas.map((a) => a.id),
    areas,
    targetGroups: measure.targetGroups,
    plannedStart: measure.plannedStart,
    plannedEnd: measure.plannedEnd,
    budget: measure.budget,
    lifecycle: measure.lifecycle,
    lifecycleReason: measure.lifecycleReason,
    mergedIntoId: measure.mergedIntoId,
    lifecycleDecisionId: measure.lifecycleDecisionId,
    status: measure.status,
    statusKey: statusKeyOf(measure),
    progress: measure.progress,
    statusDate: measure.statusDate,
    isExample: measure.isExample,
    ...(measure.isExample ? { dataLabel: EXAMPLE_LABEL } : {}),
    version: measure.version,
  };
}

export function toStatusReportView(report: StatusReport): StatusReportView {
  return {
    id: report.id,
    measureId: report.measureId,
    status: report.status,
    progress: report.progress,
    summary: report.summary,
    obstacles: report.obstacles,
    nextSteps: report.nextSteps,
    reportedAt: report.reportedAt,
    authorId: report.authorId,
    reviewState: report.reviewState,
    reviewComment: report.reviewComment,
    reviewedById: report.reviewedById,
    reviewedAt: report.reviewedAt ? new Date(report.reviewedAt).toISOString() : null,
    correctsReportId: report.correctsReportId,
    createdAt: new Date(report.createdAt).toISOString(),
    isExample: report.isExample,
    ...(report.isExample ? { dataLabel: EXAMPLE_LABEL } : {}),
  };
}
