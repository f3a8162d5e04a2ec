/**
 * The job queue in the database (table `jobs`), shared by every instance of the installation: queueing a job,
 * taking one up (exactly one instance: on PostgreSQL `FOR UPDATE SKIP LOCKED`, so that two instances asking at
 * the same moment take different jobs; SQLite has one instance and one writer), renewing its lease while it
 * runs, its progress, and how it ended. The job's own writes are not audited (bookkeeping, and an import's
 * file would end up in the trail); queueing is, and the work a job does is audited as its owner's.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/context/request-context.js';
import { notFound } from '../common/http/domain-errors.js';
import { queryNamed } from '../database/sql.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { Job, JOB_KIND_LABELS, type JobKind, type JobState } from './job.entity.js';
import { JobError } from './job-errors.js';

/** A job as the API and the pages show it: without its input file. */
export interface JobView {
  id: number;
  kind: JobKind;
  kindLabel: string;
  state: JobState;
  payload: Record<string, unknown>;
  step: string;
  progressDone: number;
  progressTotal: number;
  attempts: number;
  result: Record<string, unknown> | null;
  error: string | null;
  /** The single problems behind `error` (an import's rows: row, column, message). */
  errorDetails: unknown[] | null;
  createdById: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export function toJobView(job: Job): JobView {
  return {
    id: job.id,
    kind: job.kind,
    kindLabel: JOB_KIND_LABELS[job.kind] ?? job.kind,
    state: job.state,
    payload: parse(job.payload) ?? {},
    step: job.step,
    progressDone: job.progressDone,
    progressTotal: job.progressTotal,
    attempts: job.attempts,
    result: parse(job.result),
    error: job.error,
    errorDetails: parseList(job.errorDetails),
    createdById: job.createdById,
    createdAt: new Date(job.createdAt).toISOString(),
    startedAt: job.startedAt ? new Date(job.startedAt).toISOString() : null,
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
  };
}

function parse(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function parseList(json: string | null): unknown[] | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** The message a job that was given up on shows: its server stopped answering each time it took it up. */
export function abandonedMessage(attempts: number): string {
  return `Abgebrochen: Der Server, der den Auftrag bearbeitete, antwortete nicht mehr (${attempts} ${attempts === 1 ? 'Versuch' : 'Versuche'}). Bitte erneut starten.`;
}

/** The work of a job whose lease this instance no longer holds: it is rolled back, the new holder does it. */
export class JobLostError extends Error {
  constructor(id: number) {
    super(`Job ${id} is no longer held by this instance`);
  }
}

/** The values of a job that has ended well. */
function doneWith(result: Record<string, unknown>): QueryDeepPartialEntity<Job> {
  return {
    state: 'done',
    result: JSON.stringify(result),
    holder: null,
    step: '',
    leaseUntil: '0',
    input: null,
    finishedAt: () => 'CURRENT_TIMESTAMP',
  };
}

/** Jobs an instance may take: queued ones, and running ones whose holder's lease has run out. */
const TAKEABLE = `("state" = 'queued' OR ("state" = 'running' AND "leaseUntil" < :now)) AND "kind" IN (:...kinds)`;

@Injectable()
export class JobsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /** Queues a job for `actor` (it runs with the account's rights as they are when it runs), audited with it. */
  async enqueue(kind: JobKind, payload: Record<string, unknown>, actor: Actor, input?: Buffer): Promise<Job> {
    const id = await this.transactions.run(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Job)
        .values({
          kind,
          state: 'queued',
          payload: JSON.stringify(payload),
          input: input ? input.toString('base64') : null,
          createdById: actor.id,
          leaseUntil: '0',
        })
        .callListeners(false)
        .execute();
      const jobId = Number((inserted.identifiers[0] as { id: number }).id);
      await this.audit.recordEvent(
        {
          action: 'job_queued',
          entity: 'Job',
          entityId: String(jobId),
          note: `${JOB_KIND_LABELS[kind]} ${JSON.stringify(payload)}`.slice(0, 500),
        },
        manager,
      );
      return jobId;
    });
    return this.get(id);
  }

  async get(id: number): Promise<Job> {
    const job = await this.dataSource.manager.findOne(Job, { where: { id } });
    if (!job) throw notFound(JobError.NOT_FOUND, `Auftrag ${id} wurde nicht gefunden.`);
    return job;
  }

  /**
   * The job if `actor` may see it: the account that started it, or an installation administrator. Someone else's job answers
   * 404 like a missing one, so that its existence says nothing.
   */
  async findFor(id: number, actor: Actor): Promise<Job> {
    const job = await this.dataSource.manager.findOne(Job, { where: { id } });
    if (!job || (!actor.installationAdmin && job.createdById !== actor.id)) {
      throw notFound(JobError.NOT_FOUND, `Auftrag ${id} wurde nicht gefunden.`);
    }
    return job;
  }

  /** The newest jobs `actor` may see (an installation administrator: everyone's), newest first. */
  listFor(actor: Actor, limit = 50): Promise<Job[]> {
    return this.dataSource.manager.find(Job, {
      where: actor.installationAdmin ? {} : { createdById: actor.id },
      order: { id: 'DESC' },
      take: limit,
    });
  }

  /** The bytes a job works on (an uploaded file), or null. */
  async input(id: number): Promise<Buffer | null> {
    const row = await this.dataSource.manager
      .createQueryBuilder(Job, 'j')
      .select(['j.id'])
      .addSelect('j.input')
      .where('j.id = :id', { id })
      .getOne();
    return row?.input ? Buffer.from(row.input, 'base64') : null;
  }

  /**
   * Takes up the oldest job of one of `kinds` (those this instance can do) that is queued, or whose holder's
   * lease has run out, for `holder` until `now + leaseMs`; null when there is none. Jobs whose holders died
   * `maxAttempts` times are failed first. Looks with a plain read first, so that an idle instance opens no
   * write transaction (SQLite has one writer for everyone).
   */
  async claim(
    holder: string,
    kinds: readonly string[],
    leaseMs: number,
    maxAttempts: number,
    now = Date.now(),
  ): Promise<Job | null> {
    if (kinds.length === 0) return null;
    const [waiting] = await queryNamed<{ id: number }>(
      this.dataSource.manager,
      `SELECT "id" FROM "jobs" WHERE ${TAKEABLE} LIMIT 1`,
      { now, kinds },
    );
    if (!waiting) return null;
    const lock = this.dataSource.options.type === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
    const id = await this.transactions.run(async (manager) => {
      const abandoned = await queryNamed<{ id: number; attempts: number }>(
        manager,
        `SELECT "id", "attempts" FROM "jobs" WHERE "state" = 'running' AND "leaseUntil" < :now AND "attempts" >= :maxAttempts${lock}`,
        { now, maxAttempts },
      );
      for (const job of abandoned) {
        await this.updateWhere(
          manager,
          job.id,
          `"state" = 'running' AND "leaseUntil" < :now`,
          { now },
          {
            state: 'failed',
            holder: null,
            input: null,
            error: abandonedMessage(job.attempts),
            finishedAt: () => 'CURRENT_TIMESTAMP',
          },
        );
      }
      const [candidate] = await queryNamed<{ id: number }>(
        manager,
        `SELECT "id" FROM "jobs" WHERE ${TAKEABLE} ORDER BY "id" LIMIT 1${lock}`,
        { now, kinds },
      );
      if (!candidate) return null;
      const taken = await this.updateWhere(
        manager,
        Number(candidate.id),
        TAKEABLE,
        { now, kinds },
        {
          state: 'running',
          holder,
          leaseUntil: String(now + leaseMs),
          attempts: () => '"attempts" + 1',
          startedAt: () => 'CURRENT_TIMESTAMP',
          step: '',
          progressDone: 0,
          progressTotal: 0,
        },
      );
      return taken ? Number(candidate.id) : null;
    });
    return id === null ? null : this.get(id);
  }

  /** Extends the lease; false when the job is no longer this holder's (its lease ran out and another took it). */
  async renew(id: number, holder: string, leaseMs: number, now = Date.now()): Promise<boolean> {
    return this.transactions.run((manager) =>
      this.updateHeld(manager, id, holder, { leaseUntil: String(now + leaseMs) }),
    );
  }

  /** What the job is doing now; ignored once the job is no longer this holder's. */
  async progress(id: number, holder: string, done: number, total: number, step: string): Promise<boolean> {
    return this.transactions.run((manager) =>
      this.updateHeld(manager, id, holder, {
        progressDone: done,
        progressTotal: total,
        step: step.slice(0, 200),
      }),
    );
  }

  /**
   * Marks the job done with its result inside the transaction that writes its work, while `holder` still
   * holds it: the work, "done" and the result commit together (no one sees "done" without the result), and a
   * job that another instance took over meanwhile (or that was handed back) rolls its work back
   * (JobLostError) instead of doing it a second time. On PostgreSQL the row stays locked until that
   * transaction ends, so no one takes the job up while its work is being committed.
   */
  async completeWithin(
    manager: EntityManager,
    id: number,
    holder: string,
    result: Record<string, unknown>,
  ): Promise<void> {
    if (!(await this.updateHeld(manager, id, holder, doneWith(result)))) throw new JobLostError(id);
  }

  /**
   * Marks a job done whose handler wrote nothing under completeWithin; false when it is not (any more) this
   * holder's running job (done already, taken over, handed back).
   */
  async finish(id: number, holder: string, result: Record<string, unknown>): Promise<boolean> {
    return this.transactions.run((manager) => this.updateHeld(manager, id, holder, doneWith(result)));
  }

  /** Fails a job this holder still runs, with the German reason and its single problems. */
  async fail(id: number, holder: string, message: string, details: unknown[] | null): Promise<boolean> {
    return this.transactions.run((manager) =>
      this.updateHeld(manager, id, holder, {
        state: 'failed',
        error: message.slice(0, 2000),
        errorDetails: details ? JSON.stringify(details.slice(0, 1000)) : null,
        holder: null,
        leaseUntil: '0',
        input: null,
        finishedAt: () => 'CURRENT_TIMESTAMP',
      }),
    );
  }

  /**
   * Hands a job back to the queue (this instance shuts down): another instance takes it up at once. Not
   * counted as an attempt: the instance did not die.
   */
  async release(id: number, holder: string): Promise<boolean> {
    return this.transactions.run((manager) =>
      this.updateHeld(manager, id, holder, {
        state: 'queued',
        holder: null,
        leaseUntil: '0',
        step: '',
        attempts: () => 'CASE WHEN "attempts" > 0 THEN "attempts" - 1 ELSE 0 END',
      }),
    );
  }

  /** Updates a job that `holder` runs; true when it did. */
  private updateHeld(
    manager: EntityManager,
    id: number,
    holder: string,
    values: QueryDeepPartialEntity<Job>,
  ): Promise<boolean> {
    return this.updateWhere(manager, id, `"holder" = :holder AND "state" = 'running'`, { holder }, values);
  }

  private async updateWhere(
    manager: EntityManager,
    id: number,
    condition: string,
    parameters: Record<string, unknown>,
    values: QueryDeepPartialEntity<Job>,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Job)
      .set(values)
      .where(`"id" = :id AND ${condition}`, { ...parameters, id })
      .callListeners(false)
      .execute();
    return result.affected === 1;
  }
}
