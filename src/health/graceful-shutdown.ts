/**
 * The first step of a shutdown (SIGTERM, SIGINT): the HTTP server stops accepting connections and the job
 * runner takes no new job; the requests in flight are answered and the running job finishes (or is handed back
 * to the queue) within the same SHUTDOWN_TIMEOUT_MS, and only then do the other modules stop (the reminder job finishes its current run)
 * and the database closes (TypeORM closes it last, at application shutdown). A request that is still not done
 * after SHUTDOWN_TIMEOUT_MS has its connection closed, so that a stuck client cannot hold the instance.
 * Provided by the root module, whose destroy hook Nest runs before those of the modules it imports.
 */
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { AppConfig } from '../common/config/app-config.js';
import { JobRunner } from '../jobs/job-runner.js';

/** How often connections that became idle after their last answer are closed while draining. */
const IDLE_SWEEP_MS = 50;

@Injectable()
export class GracefulShutdown implements OnModuleDestroy {
  private readonly logger = new Logger('Shutdown');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
    private readonly jobs: JobRunner,
  ) {}

  async onModuleDestroy(): Promise<void> {
    // No new job from now on; the one under way finishes (or is handed back) while the requests drain.
    this.jobs.stopTaking();
    await Promise.all([this.drain(), this.jobs.finishOrHandBack(this.config.SHUTDOWN_TIMEOUT_MS)]);
  }

  private async drain(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    this.logger.log('Shutting down: no new connections, finishing the requests in flight');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A keep-alive connection whose request has been answered would otherwise wait for its idle timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const timeout = setTimeout(() => {
      this.logger.warn(
        `Requests not finished after ${this.config.SHUTDOWN_TIMEOUT_MS} ms (SHUTDOWN_TIMEOUT_MS): closing their connections`,
      );
      server.closeAllConnections();
    }, this.config.SHUTDOWN_TIMEOUT_MS);
    try {
      await closed;
    } finally {
      clearInterval(sweep);
      clearTimeout(timeout);
    }
  }
}
