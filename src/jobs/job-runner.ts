/**
 * Works off the job queue in a server instance (not in a command-line run, which ends when its command is
 * done): one job at a time, taken up from the database (JobsService.claim), with the account that queued it
 * as the acting user, its lease renewed every third of JOB_LEASE_MS while it runs. The job's work commits
 * together with "done" and its result (JobRun.complete), so that work is never committed twice: an instance that dies
 * (kill -9, a lost machine) stops renewing, and once its lease has run out another instance takes the job up
 * and does it again from the start; an instance whose lease was taken over meanwhile has its work rolled back.
 * On shutdown the runner takes nothing new (GracefulShutdown tells it first), lets the running job finish
 * within SHUTDOWN_TIMEOUT_MS, and otherwise hands it back to the queue for another instance.
 */
import { randomUUID } from 'node:crypto';
import {
  HttpException,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DataSource, type EntityManager } from 'typeorm';
import { User } from '../auth/user.entity.js';
import { Membership } from '../auth/membership.entity.js';
import { toActor } from '../auth/users.service.js';
import { AppConfig } from '../common/config/app-config.js';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/http/domain-errors.js';
import type { Job, JobKind } from './job.entity.js';
import { JobLostError, JobsService } from './jobs.service.js';

/** What a handler gets: the job, its parameters and input, who started it, progress and the commit guard. */
export interface JobRun {
  job: Job;
  payload: Record<string, unknown>;
  input: Buffer | null;
  actor: Actor;
  /** Records how far the job is (written at most every PROGRESS_MS, and always when the step changes). */
  progress: (done: number, total: number, step: string) => void;
  /**
   * To be called inside the transaction that writes the job's work, as its last statement, with the result:
   * marks the job done in that transaction, or throws (rolling the work back) when this instance no longer
   * holds the job.
   */
  complete: (manager: EntityManager, result: Record<string, unknown>) => Promise<void>;
}

/** Does the job's work and says what came out (stored as the job's result). */
export type JobHandler = (run: JobRun) => Promise<Record<string, unknown>>;

/** A job refused for a reason its owner should read (no rights any more, the cycle is gone). */
export class JobRefusal extends Error {}

const PROGRESS_MS = 250;
const GENERIC_FAILURE =
  'Der Auftrag ist an einem unerwarteten Fehler gescheitert; Einzelheiten stehen im Protokoll des Servers.';

@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Aufträge');
  private readonly handlers = new Map<JobKind, JobHandler>();
  /** This instance's name as a job's holder. */
  readonly holder = `instanz-${randomUUID()}`;
  private timer: NodeJS.Timeout | null = null;
  /** The look for work and the job it found, while one is under way: never more than one at a time. */
  private tickInFlight: Promise<void> | null = null;
  private running: Job | null = null;
  private stopped = true;

  constructor(
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Called by the module that owns a kind of work, when it starts. */
  register(kind: JobKind, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  onApplicationBootstrap(): void {
    // Only a server works off the queue: a command-line run has no HTTP adapter.
    if (!this.adapterHost.httpAdapter) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Looks for work now (a job was just queued here) rather than at the next poll. */
  poke(): void {
    if (this.stopped || this.tickInFlight) return;
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.startTick(), delay);
    // The queue never keeps a process alive on its own.
    this.timer.unref();
  }

  private startTick(): void {
    this.timer = null;
    if (this.stopped || this.tickInFlight) return;
    this.tickInFlight = this.tick().finally(() => {
      this.tickInFlight = null;
      if (!this.stopped) this.schedule(this.lastFound ? 0 : this.config.JOB_POLL_MS);
    });
  }

  /** Whether the last look found a job (then there may be another one waiting at once). */
  private lastFound = false;

  private async tick(): Promise<void> {
    this.lastFound = false;
    let job: Job | null = null;
    try {
      job = await this.jobs.claim(
        this.holder,
        [...this.handlers.keys()],
        this.config.JOB_LEASE_MS,
        this.config.JOB_MAX_ATTEMPTS,
      );
    } catch (error) {
      // The database is unreachable for now: readiness says so; try again at the next poll.
      this.logger.warn(`Queue not readable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!job) return;
    if (this.stopped) {
      // Taken while the shutdown began: back to the queue at once, for another instance.
      await this.jobs.release(job.id, this.holder).catch(() => undefined);
      return;
    }
    this.lastFound = true;
    this.running = job;
    try {
      await this.run(job);
    } finally {
      this.running = null;
    }
  }

  private async run(job: Job): Promise<void> {
    const leaseMs = this.config.JOB_LEASE_MS;
    let lost = false;
    const heartbeat = setInterval(
      () => {
        this.jobs
          .renew(job.id, this.holder, leaseMs)
          .then((held) => {
            if (!held && !lost) {
              lost = true;
              this.logger.warn(`Job ${job.id} is no longer held by this instance`);
            }
          })
          .catch(() => undefined);
      },
      Math.max(200, Math.floor(leaseMs / 3)),
    );
    heartbeat.unref();
    this.logger.log(`Job ${job.id} (${job.kind}) started, attempt ${job.attempts}`);
    try {
      const handler = this.handlers.get(job.kind);
      if (!handler) throw new JobRefusal(`Unbekannte Auftragsart „${job.kind}“.`);
      const actor = await this.actorOf(job);
      const run: JobRun = {
        job,
        payload: safeParse(job.payload),
        input: await this.jobs.input(job.id),
        actor,
        progress: this.progressWriter(job),
        complete: (manager, result) => this.jobs.completeWithin(manager, job.id, this.holder, result),
      };
      const result = await RequestContext.run(
        { requestId: `auftrag-${job.id}-${job.attempts}`, ipAddress: '', actor },
        () => handler(run),
      );
      // Done already when its work committed (JobRun.complete); otherwise (it wrote nothing) now.
      await this.jobs.finish(job.id, this.holder, result);
      this.logger.log(`Job ${job.id} (${job.kind}) done`);
    } catch (error) {
      await this.failed(job, error);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Records why the job failed: the German reason for its owner, the whole error in the log when unexpected. */
  private async failed(job: Job, error: unknown): Promise<void> {
    if (error instanceof JobLostError) {
      this.logger.warn(
        `Job ${job.id}: taken over by another instance or handed back; its work was rolled back`,
      );
      return;
    }
    const { message, details, expected } = describeFailure(error);
    if (expected) this.logger.warn(`Job ${job.id} (${job.kind}) refused: ${message}`);
    else {
      this.logger.error(
        `Job ${job.id} (${job.kind}) failed`,
        error instanceof Error ? (error.stack ?? error.message) : String(error),
      );
    }
    await this.jobs.fail(job.id, this.holder, message, details).catch((failError: unknown) => {
      this.logger.error(`Job ${job.id}: failure not recorded: ${String(failError)}`);
    });
  }

  /** The job's owner as they are now: a deactivated account's job does not run. */
  private async actorOf(job: Job): Promise<Actor> {
    const user = await this.dataSource.manager.findOne(User, { where: { id: job.createdById } });
    if (!user || !user.active) {
      throw new JobRefusal('Das Konto, das den Auftrag gestartet hat, ist nicht mehr aktiv.');
    }
    const memberships = await this.dataSource.manager.find(Membership, {
      where: { userId: user.id },
      select: { frameworkId: true, role: true, departmentId: true },
    });
    return toActor(
      user,
      memberships.map(({ frameworkId, role, departmentId }) => ({ frameworkId, role, departmentId })),
    );
  }

  /** Progress written at most every PROGRESS_MS, and at once when the step changes or the work is complete. */
  private progressWriter(job: Job): JobRun['progress'] {
    let lastAt = 0;
    let lastStep = '';
    let writing: Promise<unknown> = Promise.resolve();
    return (done, total, step) => {
      const now = Date.now();
      if (step === lastStep && done < total && now - lastAt < PROGRESS_MS) return;
      lastAt = now;
      lastStep = step;
      writing = writing
        .then(() => this.jobs.progress(job.id, this.holder, done, total, step))
        .catch(() => undefined);
    };
  }

  /** The first step of a shutdown: nothing new is taken up from now on. */
  stopTaking(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Waits up to `timeoutMs` for the job under way (and a look for work in flight); a job still running then is
   * handed back to the queue, so that another instance takes it up at once.
   */
  async finishOrHandBack(timeoutMs: number): Promise<void> {
    this.stopTaking();
    const inFlight = this.tickInFlight;
    if (!inFlight) return;
    if (this.running) this.logger.log(`Shutting down: waiting for job ${this.running.id}`);
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      inFlight.then(() => false),
      new Promise<boolean>((resolve) => {
        timeout = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timeout);
    const job = this.running;
    if (timedOut && job) {
      // Its work, should it still commit, is rolled back by its commit guard.
      if (await this.jobs.release(job.id, this.holder).catch(() => false)) {
        this.logger.warn(`Job ${job.id} not finished within SHUTDOWN_TIMEOUT_MS: handed back to the queue`);
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    // Normally done already by GracefulShutdown, together with the HTTP drain.
    await this.finishOrHandBack(this.config.SHUTDOWN_TIMEOUT_MS);
  }
}

function safeParse(json: string): Record<string, unknown> {
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * What the job's owner reads: a refusal's or a domain error's own German message (with an import's single
 * errors), else a general one; `expected` when it is such a refusal rather than a fault.
 */
function describeFailure(error: unknown): { message: string; details: unknown[] | null; expected: boolean } {
  if (error instanceof JobRefusal) return { message: error.message, details: null, expected: true };
  // Domain errors speak German by construction; so do the validation errors of the imports (4xx).
  if (error instanceof DomainError || (error instanceof HttpException && error.getStatus() < 500)) {
    const response = error.getResponse();
    const body =
      typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    const message = typeof response === 'string' ? response : body.message;
    if (typeof message === 'string') {
      const details = Array.isArray(body.errors)
        ? body.errors
        : Array.isArray(body.details)
          ? body.details
          : null;
      return { message, details, expected: error.getStatus() < 500 };
    }
  }
  return { message: GENERIC_FAILURE, details: null, expected: false };
}
