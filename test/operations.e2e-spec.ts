/**
 * What the data centre watches: readiness (503 while the database lacks a migration of this version), the
 * Prometheus metrics on their own port behind a token (latency per route pattern, report durations, the
 * reminder queue, the PostgreSQL pool) and the request id that ties a request's log lines together.
 */
import { createTestApp, ON_POSTGRES, type TestApp } from './helpers/test-app.js';
import { MetricsServer } from '../src/metrics/metrics.server.js';

const TOKEN = 'metrics-token-for-the-test-suite';

describe('operations', () => {
  let t: TestApp;
  let metricsUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
    metricsUrl = `${t.app.get(MetricsServer).url()}/metrics`;
  });
  afterAll(async () => {
    await t?.close();
  });

  const scrape = async (): Promise<string> => {
    const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  describe('readiness', () => {
    it('is ready with the database up and every migration applied', async () => {
      const res = await t.http.get('/api/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', database: { state: 'up', pendingMigrations: false } });
    });

    it('is not ready (503) while the database lacks a migration of this version; liveness stays 200', async () => {
      const [newest] = await t.dataSource.query<{ id: number; timestamp: string; name: string }[]>(
        `SELECT "id", "timestamp", "name" FROM "migrations" ORDER BY "timestamp" DESC LIMIT 1`,
      );
      await t.dataSource.query(`DELETE FROM "migrations" WHERE "id" = ${Number(newest.id)}`);
      try {
        const ready = await t.http.get('/api/health');
        expect(ready.status).toBe(503);
        expect(ready.body).toMatchObject({
          statusCode: 503,
          code: 'DATABASE_UNAVAILABLE',
          database: { state: 'migrating', pendingMigrations: true },
        });
        expect((ready.body as { message: string }).message).toMatch(/Migration/);
        await t.http.get('/api/health/live').expect(200);
      } finally {
        // Literal values: the placeholders differ between SQLite and PostgreSQL; all three are our own.
        await t.dataSource.query(
          `INSERT INTO "migrations" ("id", "timestamp", "name") VALUES (${Number(newest.id)}, ${Number(newest.timestamp)}, '${newest.name.replace(/'/g, "''")}')`,
        );
      }
      await t.http.get('/api/health').expect(200);
    });
  });

  describe('request id', () => {
    it('takes a well-formed X-Request-Id from the caller and answers with it', async () => {
      const res = await t.http.get('/api/health/live').set('X-Request-Id', 'lb-4711-abcdef').expect(200);
      expect(res.headers['x-request-id']).toBe('lb-4711-abcdef');
      const own = await t.http.get('/api/health/live').set('X-Request-Id', 'bad id with spaces').expect(200);
      expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('metrics', () => {
    it('are not served on the application port', async () => {
      await t.http.get('/metrics').expect(404);
    });

    it('refuse a scrape without the token or with a wrong one (401)', async () => {
      expect((await fetch(metricsUrl)).status).toBe(401);
      const wrong = await fetch(metricsUrl, { headers: { authorization: 'Bearer not-the-token-at-all' } });
      expect(wrong.status).toBe(401);
    });

    it('count request latency per route pattern, not per address', async () => {
      const admin = await t.login('admin@demo.local');
      const list = await t.http.get('/api/measures?pageSize=2').auth(admin, { type: 'bearer' }).expect(200);
      const id = (list.body as { items: { id: number }[] }).items[0].id;
      await t.http.get(`/api/measures/${id}`).auth(admin, { type: 'bearer' }).expect(200);
      await t.http.get('/api/measures/999999').auth(admin, { type: 'bearer' }).expect(404);
      await t.http.get('/api/gibt-es-nicht').expect(404);
      const text = await scrape();
      expect(text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
      expect(text).toMatch(
        /^http_request_duration_seconds_count\{method="GET",route="\/api\/measures",status="200"\} [1-9]/m,
      );
      expect(text).toMatch(
        /^http_request_duration_seconds_count\{method="GET",route="\/api\/measures\/:id",status="200"\} [1-9]/m,
      );
      expect(text).toMatch(
        /^http_request_duration_seconds_count\{method="GET",route="\/api\/measures\/:id",status="404"\} [1-9]/m,
      );
      expect(text).toMatch(/route="unmatched",status="404"/);
      expect(text).not.toContain(`route="/api/measures/${id}"`);
      expect(text).not.toContain('gibt-es-nicht');
    });

    it('time the building of an Umsetzungsbericht', async () => {
      const admin = await t.login('admin@demo.local');
      const cycles = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' }).expect(200))
        .body as { id: number; code: string }[];
      const cycle = cycles.find((c) => c.code === '2022-2023')!;
      await t.http
        .post(`/api/reporting-cycles/${cycle.id}/report`)
        .auth(admin, { type: 'bearer' })
        .expect(200);
      const text = await scrape();
      expect(text).toMatch(/^# TYPE report_build_duration_seconds histogram$/m);
      expect(text).toMatch(/^report_build_duration_seconds_count\{outcome="ok"\} [1-9]/m);
    });

    it('show the reminder queue, the job queue and the database pool where there is one', async () => {
      const text = await scrape();
      expect(text).toMatch(/^notification_queue_length\{state="pending"\} \d+$/m);
      expect(text).toMatch(/^notification_queue_length\{state="failed"\} \d+$/m);
      expect(text).toMatch(/^job_queue_length\{state="queued"\} \d+$/m);
      expect(text).toMatch(/^job_queue_length\{state="running"\} \d+$/m);
      if (ON_POSTGRES) {
        expect(text).toMatch(/^db_pool_connections\{state="total"\} [1-9]\d*$/m);
        expect(text).toMatch(/^db_pool_connections\{state="idle"\} \d+$/m);
        expect(text).toMatch(/^db_pool_connections\{state="waiting"\} \d+$/m);
      } else {
        // SQLite has no pool: one file, one connection; the gauge is left out rather than shown as zero.
        expect(text).not.toMatch(/^db_pool_connections\{/m);
      }
      // The process's own figures (memory, event loop) come with it.
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    });
  });
});
