import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What a job does: build an Umsetzungsbericht, or write an uploaded Maßnahmenplan. */
export const JOB_KINDS = ['report', 'plan-import'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * `queued`: waiting for an instance; `running`: an instance holds its lease and works on it; `done` and
 * `failed` are final. A running job whose lease ran out (its instance died) is taken up again by another.
 */
export const JOB_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JOB_STATE_LABELS: Record<JobState, string> = {
  queued: 'wartet',
  running: 'läuft',
  done: 'fertig',
  failed: 'fehlgeschlagen',
};

export const JOB_KIND_LABELS: Record<JobKind, string> = {
  report: 'Umsetzungsbericht erzeugen',
  'plan-import': 'Maßnahmenplan übernehmen',
};

/**
 * Long work that any instance of the installation may do, exactly one at a time: whoever moves `leaseUntil`
 * (milliseconds since 1970) into the future while the job is queued, or after its holder's lease ran out, holds
 * it. The holder renews the lease while it works and writes its progress here, so that the page shows it from
 * whichever instance serves the page.
 */
@Entity('jobs')
@Index('IDX_jobs_state_lease', ['state', 'leaseUntil'])
@Index('IDX_jobs_owner', ['createdById', 'id'])
export class Job {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 40 })
  kind: JobKind;

  @Column({ type: 'varchar', length: 20, default: 'queued' })
  state: JobState;

  /** The job's parameters as JSON (the cycle and format of a report; the file name of an import). */
  @Column({ type: 'text', default: '{}' })
  payload: string;

  /**
   * An uploaded file the job works on, base64 (one column type for both databases); emptied once the job has
   * ended. Read only by the runner (JobsService.input), never with the job's other fields.
   */
  @Column({ type: 'text', nullable: true, select: false })
  input?: string | null;

  /** What the job is doing now ("Maßnahmen lesen", "PDF drucken"), shown with the progress. */
  @Column({ type: 'varchar', length: 200, default: '' })
  step: string;

  @Column({ type: 'integer', default: 0 })
  progressDone: number;

  @Column({ type: 'integer', default: 0 })
  progressTotal: number;

  /** How often an instance has taken the job up (more than once when an instance died while holding it). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'varchar', length: 100, nullable: true })
  holder: string | null;

  @Column({ type: 'bigint', default: 0 })
  leaseUntil: string;

  /** What came out, as JSON (the report's id; the numbers of an import). */
  @Column({ type: 'text', nullable: true })
  result: string | null;

  /** Why it failed, in German, as the person who started it reads it. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** The single problems behind `error`, as JSON (an import's rows: row, column, message), or null. */
  @Column({ type: 'text', nullable: true })
  errorDetails: string | null;

  /** The account that started the job: the job runs with its rights, and the page is its own. */
  @Column({ type: 'integer' })
  createdById: number;

  @CreateDateColumn()
  createdAt: Date;

  @Column({ nullable: true })
  startedAt?: Date;

  @Column({ nullable: true })
  finishedAt?: Date;
}
