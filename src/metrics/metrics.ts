/**
 * The Prometheus metrics of one instance: request latency per route pattern, the building time of reports,
 * the reminder mails waiting to be sent, the jobs queued and running, the PostgreSQL pool, and the process's own figures. Defined once per
 * process (prom-client refuses a second metric of the same name); the gauges read their database when
 * scraped, from the data source that MetricsModule binds.
 */
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { onExchangeEnd, routeOf } from '../common/logging/access-log.js';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Duration of HTTP requests by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

export const reportBuildDuration = new Histogram({
  name: 'report_build_duration_seconds',
  help: 'Duration of building an Umsetzungsbericht, by outcome',
  labelNames: ['outcome'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [metricsRegistry],
});

/** The data source the gauges read when scraped; bound by MetricsModule, null outside an application. */
let source: DataSource | null = null;

export function bindMetricsSource(dataSource: DataSource | null): void {
  source = dataSource;
}

export function boundMetricsSource(): DataSource | null {
  return source;
}

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

new Gauge({
  name: 'db_pool_connections',
  help: 'PostgreSQL connection pool: total, idle and waiting clients (absent on SQLite, which has no pool)',
  labelNames: ['state'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    if (!source?.isInitialized || source.options.type !== 'postgres') return;
    const pool = (source.driver as unknown as { master?: PgPool }).master;
    if (!pool) return;
    this.set({ state: 'total' }, pool.totalCount);
    this.set({ state: 'idle' }, pool.idleCount);
    this.set({ state: 'waiting' }, pool.waitingCount);
  },
});

/**
 * A gauge of rows per state, counted by `sql` (columns "state" and "n") when scraped; every state in `states`
 * is reported, with 0 where there is no row.
 */
function queueGauge(name: string, help: string, states: readonly string[], sql: string): void {
  new Gauge({
    name,
    help,
    labelNames: ['state'] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      if (!source?.isInitialized) return;
      try {
        const rows = await source.query<{ state: string; n: number | string }[]>(sql);
        for (const state of states) {
          this.set({ state }, Number(rows.find((row) => row.state === state)?.n ?? 0));
        }
      } catch {
        // The database is unreachable: the gauge is left out of this scrape; readiness says why.
      }
    },
  });
}

queueGauge(
  'notification_queue_length',
  'Reminder mails due to be sent or tried again (notification_log rows with a next attempt)',
  ['pending', 'failed'],
  `SELECT "state", COUNT(*) AS "n" FROM "notification_log" WHERE "nextAttemptAt" IS NOT NULL AND "state" IN ('pending', 'failed') GROUP BY "state"`,
);

queueGauge(
  'job_queue_length',
  'Jobs (large reports, large plan imports) waiting for an instance and being worked on',
  ['queued', 'running'],
  `SELECT "state", COUNT(*) AS "n" FROM "jobs" WHERE "state" IN ('queued', 'running') GROUP BY "state"`,
);

/** Observes every request's duration under its route pattern once the response has gone out. */
export function httpMetricsMiddleware(request: Request, response: Response, next: NextFunction): void {
  onExchangeEnd(response, (seconds) => {
    httpRequestDuration.observe(
      { method: request.method, route: routeOf(request), status: String(response.statusCode) },
      seconds,
    );
  });
  next();
}

/** Method decorator: observes how long an async method takes, labelled `ok` or `failed`. */
export function observeDuration(histogram: Histogram<'outcome'>) {
  return (_target: object, _key: string | symbol, descriptor: PropertyDescriptor): void => {
    const original = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    descriptor.value = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
      const end = histogram.startTimer();
      try {
        const result = await original.apply(this, args);
        end({ outcome: 'ok' });
        return result;
      } catch (error) {
        end({ outcome: 'failed' });
        throw error;
      }
    };
  };
}
