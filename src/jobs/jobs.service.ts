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

/** The message a job that was given up on shows: its instance stopped answering each time it took it up. */
export function abandonedMessage(attempts: number): string {
  return `Abgebrochen: Die Instanz, die den Auftrag bearbeitete, antwortete nicht mehr (${attempts} ${attempts === 1 ? 'Versuch' : 'Versuche'}). Bitte erneut starten.`;
}

@Injectable()
export class JobsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /** Queues a job for `actor` (it runs with the account's rights as they are when it runs). */
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
      await this.audit.recordEvent({
        action: 'job_queued',
        entity: 'Job',
        entityId: String(jobId),
        note: `${JOB_KIND_LABELS[kind]} ${JSON.stringify(payload)}`.slice(0, 500),
      });
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
   * The job if `actor` may see it: the account that started it, or an admin. Someone else's job answers
   * 404 like a missing one, so that its existence says nothing.
   */
  async findFor(id: number, actor: Actor): Promise<Job> {
    const job = await this.dataSource.manager.findOne(Job, { where: { id } });
    if (!job || (actor.role !== 'admin' && job.createdById !== actor.id)) {
      throw notFound(JobError.NOT_FOUND, `Auftrag ${id} wurde nicht gefunden.`);
    }
    return job;
  }

  /** The newest jobs `actor` may see (an admin: everyone's), newest first. */
  listFor(actor: Actor, limit = 50): Promise<Job[]> {
    return this.dataSource.manager.find(Job, {
      where: actor.role === 'admin' ? {} : { createdById: actor.id },
      order: { id: 'DESC' },
      take: limit,
    });
  }

  /** The bytes a job works on (an uploaded file), or null. */
  async input(id: number): Promise<Buffer | null> {
    const row = await this.dataSource.manager.findOne(Job, {
      where: { id },
      select: { id: true, input: true },
    });
    return row?.input ? Buffer.from(row.input, 'base64') : null;
  }

  /**
   * Takes up the oldest job that is queued, or whose holder's lease has run out, for `holder` until
   * `now + leaseMs`; null when there is none. Jobs whose holders died `maxAttempts` times are failed first.
   */
  async claim(holder: string, leaseMs: number, maxAttempts: number, now = Date.now()): Promise<Job | null> {
    const id = await this.transactions.run(async (manager) => {
      const abandoned = await manager
        .createQueryBuilder(Job, 'j')
        .select(['j.id', 'j.attempts'])
        .where(`j.state = 'running' AND j.leaseUntil < :now AND j.attempts >= :maxAttempts`, {
          now,
          maxAttempts,
        })
        .getMany();
      for (const job of abandoned) {
        await this.update(manager, job.id, null, {
          state: 'failed',
          holder: null,
          input: null,
          error: abandonedMessage(job.attempts),
          finishedAt: () => 'CURRENT_TIMESTAMP',
        });
      }
      const lock = manager.connection.options.type === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
      const [candidate] = await queryNamed<{ id: number }>(
        manager,
        `SELECT "id" FROM "jobs" WHERE "state" = 'queued' OR ("state" = 'running' AND "leaseUntil" < :now) ORDER BY "id" LIMIT 1${lock}`,
        { now },
      );
      if (!candidate) return null;
      await manager
        .createQueryBuilder()
        .update(Job)
        .set({
          state: 'running',
          holder,
          leaseUntil: String(now + leaseMs),
          attempts: () => '"attempts" + 1',
          startedAt: () => 'CURRENT_TIMESTAMP',
          step: '',
          progressDone: 0,
          progressTotal: 0,
        })
        .where('"id" = :id', { id: candidate.id })
        .callListeners(false)
        .execute();
      return Number(candidate.id);
    });
    return id === null ? null : this.get(id);
  }

  /** Extends the lease; false when the job is no longer this holder's (its lease ran out and another took it). */
  async renew(id: number, holder: string, leaseMs: number, now = Date.now()): Promise<boolean> {
    return this.transactions.run((manager) =>
      this.update(manager, id, holder, { leaseUntil: String(now + leaseMs) }),
    );
  }

  /** What the job is doing now; ignored once the job is no longer this holder's. */
  async progress(id: number, holder: string, done: number, total: number, step: string): Promise<boolean> {
    return this.transactions.run((manager) =>
      this.update(manager, id, holder, {
        progressDone: done,
        progressTotal: total,
        step: step.slice(0, 200),
      }),
    );
  }

  async finish(id: number, holder: string, result: Record<string, unknown>): Promise<boolean> {
    return this.end(id, holder, { state: 'done', result: JSON.stringify(result), step: '' });
  }

  async fail(id: number, holder: string, message: string): Promise<boolean> {
    return this.end(id, holder, { state: 'failed', error: message.slice(0, 2000) });
  }

  /** Hands a job back to the queue (this instance shuts down): another instance takes it up at once. */
  async release(id: number, holder: string): Promise<boolean> {
    return this.transactions.run((manager) =>
      this.update(manager, id, holder, { state: 'queued', holder: null, leaseUntil: '0', step: '' }),
    );
  }

  private end(id: number, holder: string, values: QueryDeepPartialEntity<Job>): Promise<boolean> {
    return this.transactions.run((manager) =>
      this.update(manager, id, holder, {
        ...values,
        holder: null,
        leaseUntil: '0',
        input: null,
        finishedAt: () => 'CURRENT_TIMESTAMP',
      }),
    );
  }

  /** Updates a running job while `holder` holds it (any job, for holder null); true when it did. */
  private async update(
    manager: EntityManager,
    id: number,
    holder: string | null,
    values: QueryDeepPartialEntity<Job>,
  ): Promise<boolean> {
    const query = manager
      .createQueryBuilder()
      .update(Job)
      .set(values)
      .where('"id" = :id', { id })
      .callListeners(false);
    if (holder !== null) query.andWhere(`"holder" = :holder AND "state" = 'running'`, { holder });
    const result = await query.execute();
    return result.affected === 1;
  }
}
