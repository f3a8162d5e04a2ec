/**
 * Works off the job queue in a server instance (not in a command-line run, which ends when its command is
 * done): one job at a time, taken up from the database (JobsService.claim), with the account that queued it
 * as the acting user, its lease renewed every third of JOB_LEASE_MS while it runs. An instance that dies
 * (kill -9, a lost machine) stops renewing; once the lease has run out another instance takes the job up and
 * does it again from the start. On SIGTERM the runner takes up nothing new, lets the running job finish
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
import { DataSource } from 'typeorm';
import { User } from '../auth/user.entity.js';
import { toActor } from '../auth/users.service.js';
import { AppConfig } from '../common/config/app-config.js';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/http/domain-errors.js';
import type { Job, JobKind } from './job.entity.js';
import { JobsService } from './jobs.service.js';

/** What a handler gets: the job, its parameters and input, who started it, and a way to report progress. */
export interface JobRun {
  job: Job;
  payload: Record<string, unknown>;
  input: Buffer | null;
  actor: Actor;
  /** Records how far the job is (written at most every PROGRESS_MS, and always when the step changes). */
  progress: (done: number, total: number, step: string) => void;
}

/** Does the job's work and says what came out (stored as the job's result). */
export type JobHandler = (run: JobRun) => Promise<Record<string, unknown>>;

/** A job refused for a reason its owner should read (no rights any more, the cycle is gone). */
export class JobRefusal extends Error {}

const PROGRESS_MS = 250;

@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Aufträge');
  private readonly handlers = new Map<JobKind, JobHandler>();
  /** This instance's name as a job's holder. */
  readonly holder = `instanz-${randomUUID()}`;
  private timer: NodeJS.Timeout | null = null;
  private running: { job: Job; done: Promise<void> } | null = null;
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
    if (this.stopped || this.running) return;
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
    // The queue never keeps a process alive on its own.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.stopped || this.running) return;
    let job: Job | null = null;
    try {
      job = await this.jobs.claim(this.holder, this.config.JOB_LEASE_MS, this.config.JOB_MAX_ATTEMPTS);
    } catch (error) {
      // The database is unreachable for now: readiness says so; try again at the next poll.
      this.logger.warn(`Queue not readable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!job) {
      if (!this.stopped) this.schedule(this.config.JOB_POLL_MS);
      return;
    }
    const done = this.run(job);
    this.running = { job, done };
    await done;
    this.running = null;
    // Another one may be waiting.
    if (!this.stopped) this.schedule(0);
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
      const input = await this.jobs.input(job.id);
      const run: JobRun = {
        job,
        payload: safeParse(job.payload),
        input,
        actor,
        progress: this.progressWriter(job),
      };
      const result = await RequestContext.run(
        { requestId: `auftrag-${job.id}-${job.attempts}`, ipAddress: '', actor },
        () => handler(run),
      );
      if (!(await this.jobs.finish(job.id, this.holder, result))) {
        this.logger.warn(`Job ${job.id} finished here after another instance had taken it over`);
      } else {
        this.logger.log(`Job ${job.id} (${job.kind}) done`);
      }
    } catch (error) {
      const message = germanMessage(error);
      this.logger.error(`Job ${job.id} (${job.kind}) failed: ${message}`);
      await this.jobs.fail(job.id, this.holder, message).catch((failError: unknown) => {
        this.logger.error(`Job ${job.id}: failure not recorded: ${String(failError)}`);
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** The job's owner as they are now: a deactivated account's job does not run. */
  private async actorOf(job: Job): Promise<Actor> {
    const user = await this.dataSource.manager.findOne(User, { where: { id: job.createdById } });
    if (!user || !user.active) {
      throw new JobRefusal('Das Konto, das den Auftrag gestartet hat, ist nicht mehr aktiv.');
    }
    return toActor(user);
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

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const running = this.running;
    if (!running) return;
    this.logger.log(`Shutting down: waiting for job ${running.job.id}`);
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      running.done.then(() => false),
      new Promise<boolean>((resolve) => {
        timeout = setTimeout(() => resolve(true), this.config.SHUTDOWN_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timeout);
    if (timedOut) {
      // Another instance takes it up at once rather than after the lease.
      await this.jobs.release(running.job.id, this.holder).catch(() => undefined);
      this.logger.warn(
        `Job ${running.job.id} not finished within SHUTDOWN_TIMEOUT_MS: handed back to the queue`,
      );
    }
  }
}

function safeParse(json: string): Record<string, unknown> {
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The German message a person reads on the job's page: a refusal's or a domain error's own, else a general one. */
function germanMessage(error: unknown): string {
  if (error instanceof JobRefusal) return error.message;
  // Domain errors speak German by construction; so do the validation errors of the imports (4xx).
  if (error instanceof DomainError || (error instanceof HttpException && error.getStatus() < 500)) {
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response !== null
        ? (response as { message?: unknown }).message
        : response;
    if (typeof message === 'string') return message;
  }
  return 'Der Auftrag ist an einem unerwarteten Fehler gescheitert; Einzelheiten stehen im Protokoll des Servers.';
}
