/** Every persisted entity, in one list shared by the application, the migration generator and the tests. */
import { AuditEntry } from '../audit/audit-entry.entity.js';
import { LoginFailure } from '../auth/login-failure.entity.js';
import { Membership } from '../auth/membership.entity.js';
import { User } from '../auth/user.entity.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Area, FrameworkDepartment, MeasureArea } from '../framework/area.entity.js';
import { Department } from '../framework/department.entity.js';
import { Framework } from '../framework/framework.entity.js';
import { Goal } from '../framework/goal.entity.js';
import { FrameworkRevision } from '../framework/revisions/framework-revision.entity.js';
import { MeasureHistory } from '../framework/revisions/measure-history.entity.js';
import { DecisionStateChange } from '../governance/decision-state-change.entity.js';
import { Decision } from '../governance/decision.entity.js';
import { GovernanceBody } from '../governance/governance-body.entity.js';
import { Meeting } from '../governance/meeting.entity.js';
import { IndicatorValue } from '../indicators/indicator-value.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { MeasureChange } from '../measures/measure-change.entity.js';
import { Measure } from '../measures/measure.entity.js';
import { StatusReport } from '../measures/status-report.entity.js';
import { Job } from '../jobs/job.entity.js';
import { JobLock } from '../notifications/job-lock.entity.js';
import { NotificationLog } from '../notifications/notification-log.entity.js';
import { RateLimitCounter } from '../public/rate-limit-counter.entity.js';
import { CycleSnapshotItemGoal } from '../reporting/cycle-snapshot-item-goal.entity.js';
import { CycleSnapshotItem } from '../reporting/cycle-snapshot-item.entity.js';
import { CycleSnapshot } from '../reporting/cycle-snapshot.entity.js';
import { ImplementationReport } from '../reporting/implementation-report.entity.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { ReportFileChunkPostgres, ReportFileChunkSqlite } from '../reporting/report-file-chunk.entity.js';
import { StagedUploadPostgres, StagedUploadSqlite } from '../web/staged-upload.entity.js';

export const ENTITIES = [
  Framework,
  Goal,
  ActionField,
  Department,
  FrameworkDepartment,
  Area,
  MeasureArea,
  GovernanceBody,
  ReportingCycle,
  CycleSnapshot,
  CycleSnapshotItem,
  CycleSnapshotItemGoal,
  ImplementationReport,
  Indicator,
  Measure,
  StatusReport,
  Meeting,
  Decision,
  DecisionStateChange,
  MeasureChange,
  FrameworkRevision,
  MeasureHistory,
  IndicatorValue,
  User,
  Membership,
  AuditEntry,
  NotificationLog,
  JobLock,
  Job,
  LoginFailure,
  RateLimitCounter,
];

/** Entities whose column types differ by database (report-file-chunk.entity.ts says why), added to ENTITIES. */
export const DATABASE_ENTITIES = {
  sqlite: [ReportFileChunkSqlite, StagedUploadSqlite],
  postgres: [ReportFileChunkPostgres, StagedUploadPostgres],
};
