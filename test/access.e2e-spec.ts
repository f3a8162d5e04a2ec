/**
 * Access control: every route declares its access; a role × route matrix (anonymous, viewer, editor of the
 * lead department, editor of another department, admin) gets 401/403/2xx, and every refused request leaves
 * the database as it was.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RequestMethod } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { AuthService } from '../src/auth/auth.service.js';
import { ACCESS_KEY } from '../src/common/auth/access.decorator.js';
import { PLAN_OF_KEY } from '../src/common/auth/plan-of.decorator.js';
import { csrfToken, SESSION_COOKIE } from '../src/common/auth/session.js';
import { ActionField } from '../src/framework/action-field.entity.js';
import { Goal } from '../src/framework/goal.entity.js';
import { FrameworkRevision } from '../src/framework/revisions/framework-revision.entity.js';
import { GovernanceBody } from '../src/governance/governance-body.entity.js';
import { Indicator } from '../src/indicators/indicator.entity.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { addPlan } from './factories/plan.factory.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';
import { binaryParser } from './helpers/workbooks.js';

type Role = 'anonymous' | 'viewer' | 'editorLead' | 'editorOther' | 'admin';
const ROLES: Role[] = ['anonymous', 'viewer', 'editorLead', 'editorOther', 'admin'];

interface Prepared {
  path: string;
  body?: object;
  /** A multipart upload instead of a JSON body. */
  upload?: { file: Buffer; fields: Record<string, string> };
}

interface RouteCase {
  /** A page: signed in by the session cookie, forms carry the CSRF token, "not signed in" redirects. */
  web?: boolean;
  method: 'get' | 'post' | 'patch';
  route: string;
  /** Creates what the request needs (fresh for every role) and returns its path and body. */
  prepare: () => Promise<Prepared>;
  expect: Record<Role, number>;
}

const READ = { anonymous: 401, viewer: 200, editorLead: 200, editorOther: 200, admin: 200 };
const ADMIN_ONLY = (ok: number) => ({
  anonymous: 401,
  viewer: 403,
  editorLead: 403,
  editorOther: 403,
  admin: ok,
});
const LEAD_WRITE = (ok: number) => ({
  anonymous: 401,
  viewer: 403,
  editorLead: ok,
  editorOther: 403,
  admin: ok,
});

/** The framework's settings version now (optimistic lock of publicBudget). */
async function settingsVersion(app: TestApp): Promise<number> {
  return Number(
    (await app.dataSource.query<{ v: number }[]>(`SELECT "settingsVersion" AS "v" FROM "frameworks"`))[0].v,
  );
}

/** The framework's version now: a revision is prepared at it. */
async function frameworkVersion(app: TestApp): Promise<string> {
  return (await app.dataSource.query<{ version: string }[]>(`SELECT "version" FROM "frameworks"`))[0].version;
}

/** A harmless revision (a goal's description), new every time. */
const revisionBody = (expectedVersion: string) => ({
  expectedVersion,
  effectiveDate: '2026-01-01',
  reason: 'Zugriffsprüfung',
  versionLabel: `Test ${randomUUID().slice(0, 8)}`,
  changes: [{ kind: 'update_goal', code: '2.1', description: `Beschreibung ${randomUUID()}` }],
});

/** The same revision as the page's form sends it. */
const revisionForm = (expectedVersion: string) => ({
  expectedVersion,
  effectiveDate: '2026-01-01',
  reason: 'Zugriffsprüfung',
  versionLabel: `Test ${randomUUID().slice(0, 8)}`,
  kind: 'update_goal',
  code: '2.1',
  description: `Beschreibung ${randomUUID()}`,
});

describe('access control', () => {
  let t: TestApp;
  let ids: Ids;
  const tokens: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    t = await createTestApp();
    tokens.viewer = await t.login('steuerung@demo.local');
    tokens.editorLead = await t.login('soziales@demo.local');
    tokens.editorOther = await t.login('bildung@demo.local');
    tokens.admin = await t.login('admin@demo.local');
    ids = await frameworkIds(t, tokens.admin);
  });
  afterAll(async () => {
    await t.close();
  });

  const admin = (): string => tokens.admin!;

  /** A report job queued by the coordinating unit (Prefer: respond-async). */
  async function adminJob(): Promise<number> {
    const res = await t.http
      .post(`/api/reporting-cycles/${(await freshCycle()).id}/report`)
      .auth(admin(), { type: 'bearer' })
      .set('Prefer', 'respond-async')
      .expect(202);
    const id = (res.body as { id: number }).id;
    // Finished before the case runs: no report is written in the background while a refusal is checked.
    for (let i = 0; i < 300; i++) {
      const job = await t.http.get(`/api/jobs/${id}`).auth(admin(), { type: 'bearer' });
      if ((job.body as { state: string }).state === 'done') return id;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Auftrag ${id} wurde nicht fertig`);
  }

  let valueYear = 1950;
  async function bodyId(): Promise<number> {
    const bodies = (await t.http.get('/api/governance/bodies').auth(admin(), { type: 'bearer' })).body as {
      id: number;
      code: string;
    }[];
    return bodies.find((b) => b.code === 'begleitgruppe')!.id;
  }
  async function freshMeeting(): Promise<{ id: number; version: number }> {
    const res = await t.http
      .post('/api/meetings')
      .auth(admin(), { type: 'bearer' })
      .send({ bodyId: await bodyId(), date: '2026-02-04', title: 'Sitzung der Begleitgruppe' })
      .expect(201);
    return res.body as { id: number; version: number };
  }
  /** A decision for which the lead editor's department (ASJI) is responsible. */
  async function freshDecision(): Promise<{ id: number; version: number }> {
    const res = await t.http
      .post('/api/decisions')
      .auth(admin(), { type: 'bearer' })
      .send({
        meetingId: (await freshMeeting()).id,
        kind: 'other',
        text: 'Konzept vorlegen.',
        responsibleDepartmentId: ids.departments.ASJI,
        dueDate: '2026-12-31',
      })
      .expect(201);
    return res.body as { id: number; version: number };
  }
  async function indicator(): Promise<{ id: number; version: number }> {
    const list = (await t.http.get('/api/indicators').auth(admin(), { type: 'bearer' })).body as {
      id: number;
      code: string;
      version: number;
    }[];
    return list.find((i) => i.code === 'B2a')!;
  }

  async function collectingCycle(): Promise<{ id: number }> {
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin(), { type: 'bearer' })).body as {
      id: number;
      state: string;
    }[];
    return cycles.find((c) => c.state === 'collecting')!;
  }
  let cycleYear = 2100;

  async function freshMeasure(): Promise<{ id: number; version: number }> {
    const res = await t.http
      .post('/api/measures')
      .auth(admin(), { type: 'bearer' })
      .send(newMeasure(ids))
      .expect(201);
    return res.body as { id: number; version: number };
  }
  async function freshReport(): Promise<number> {
    const measure = await freshMeasure();
    const res = await t.http
      .post(`/api/measures/${measure.id}/status-reports`)
      .auth(tokens.editorLead!, { type: 'bearer' })
      .send(newReport())
      .expect(201);
    return res.body.id as number;
  }
  async function freshUser(): Promise<{ id: number; version: number }> {
    const res = await t.http
      .post('/api/users')
      .auth(admin(), { type: 'bearer' })
      .send({
        email: `konto-${randomUUID()}@example.org`,
        displayName: 'Testkonto',
        role: 'viewer',
        password: 'Ein-gutes-Passwort-1',
      })
      .expect(201);
    return res.body as { id: number; version: number };
  }
  function cycleBody(): Record<string, string> {
    cycleYear += 2;
    return {
      code: `${cycleYear}-${cycleYear + 1}`,
      name: `Bericht ${cycleYear}`,
      periodStart: `${cycleYear}-01-01`,
      periodEnd: `${cycleYear + 1}-12-31`,
      inputDeadline: `${cycleYear + 2}-01-31`,
    };
  }
  /** A fresh cycle far in the future, moved to the given state. */
  async function freshCycle(
    state: 'planned' | 'reviewing' | 'closed' = 'planned',
  ): Promise<{ id: number; version: number }> {
    let cycle = (
      await t.http
        .post('/api/reporting-cycles')
        .auth(admin(), { type: 'bearer' })
        .send(cycleBody())
        .expect(201)
    ).body as {
      id: number;
      version: number;
      state: string;
    };
    const path = ['collecting', 'reviewing', 'closed'];
    for (const to of path.slice(0, path.indexOf(state) + 1)) {
      cycle = (
        await t.http
          .post(`/api/reporting-cycles/${cycle.id}/transition`)
          .auth(admin(), { type: 'bearer' })
          .send({ to, version: cycle.version })
          .expect(200)
      ).body;
    }
    return cycle;
  }

  const WEB_CASES: RouteCase[] = [];
  const CASES: RouteCase[] = [
    {
      method: 'get',
      route: 'GET /api/health',
      prepare: async () => ({ path: '/api/health' }),
      expect: { anonymous: 200, viewer: 200, editorLead: 200, editorOther: 200, admin: 200 },
    },
    {
      method: 'get',
      route: 'GET /api/auth/me',
      prepare: async () => ({ path: '/api/auth/me' }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/framework',
      prepare: async () => ({ path: '/api/framework' }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/frameworks',
      prepare: async () => ({ path: '/api/frameworks' }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/frameworks/:id',
      prepare: async () => {
        const [plan] = await t.dataSource.query<{ id: number }[]>(`SELECT "id" FROM "frameworks"`);
        return { path: `/api/frameworks/${plan.id}` };
      },
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/framework/revisions',
      prepare: async () => ({ path: '/api/framework/revisions' }),
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'get',
      route: 'GET /api/framework/revisions/:id',
      prepare: async () => {
        const applied = await t.http
          .post('/api/framework/revisions')
          .auth(tokens.admin!, { type: 'bearer' })
          .send(revisionBody(await frameworkVersion(t)))
          .expect(201);
        return { path: `/api/framework/revisions/${applied.body.revisionId}` };
      },
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'post',
      route: 'POST /api/framework/revisions/preview',
      prepare: async () => ({
        path: '/api/framework/revisions/preview',
        body: revisionBody(await frameworkVersion(t)),
      }),
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'post',
      route: 'POST /api/framework/revisions',
      prepare: async () => ({
        path: '/api/framework/revisions',
        body: revisionBody(await frameworkVersion(t)),
      }),
      expect: ADMIN_ONLY(201),
    },
    {
      method: 'patch',
      route: 'PATCH /api/framework/settings',
      prepare: async () => ({
        path: '/api/framework/settings',
        body: { settingsVersion: await settingsVersion(t), publicBudget: true },
      }),
      expect: ADMIN_ONLY(200),
    },
    { method: 'get', route: 'GET /api/goals', prepare: async () => ({ path: '/api/goals' }), expect: READ },
    { method: 'get', route: 'GET /api/areas', prepare: async () => ({ path: '/api/areas' }), expect: READ },
    {
      method: 'get',
      route: 'GET /api/action-fields',
      prepare: async () => ({ path: '/api/action-fields' }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/departments',
      prepare: async () => ({ path: '/api/departments' }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/departments/:id',
      prepare: async () => ({ path: `/api/departments/${ids.departments.ASJI}` }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/measures',
      prepare: async () => ({ path: '/api/measures' }),
      expect: READ,
    },
    {
      method: 'post',
      route: 'POST /api/measures',
      prepare: async () => ({ path: '/api/measures', body: newMeasure(ids) }),
      expect: ADMIN_ONLY(201),
    },
    {
      method: 'get',
      route: 'GET /api/measures/:id',
      prepare: async () => ({ path: `/api/measures/${(await freshMeasure()).id}` }),
      expect: READ,
    },
    {
      method: 'patch',
      route: 'PATCH /api/measures/:id',
      prepare: async () => {
        const m = await freshMeasure();
        return {
          path: `/api/measures/${m.id}`,
          body: { version: m.version, description: 'Neue Beschreibung des Ressorts.' },
        };
      },
      expect: LEAD_WRITE(200),
    },
    {
      method: 'post',
      route: 'POST /api/measures/:id/lifecycle',
      prepare: async () => {
        const m = await freshMeasure();
        return {
          path: `/api/measures/${m.id}/lifecycle`,
          body: { version: m.version, lifecycle: 'discontinued', reason: 'Beschluss vom 1. März' },
        };
      },
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'get',
      route: 'GET /api/measures/:id/status-reports',
      prepare: async () => ({ path: `/api/measures/${(await freshMeasure()).id}/status-reports` }),
      expect: READ,
    },
    {
      method: 'post',
      route: 'POST /api/measures/:id/status-reports',
      prepare: async () => ({
        path: `/api/measures/${(await freshMeasure()).id}/status-reports`,
        body: newReport(),
      }),
      expect: LEAD_WRITE(201),
    },
    {
      method: 'get',
      route: 'GET /api/status-reports',
      prepare: async () => ({ path: '/api/status-reports' }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/status-reports/:id',
      prepare: async () => ({ path: `/api/status-reports/${await freshReport()}` }),
      expect: READ,
    },
    {
      method: 'post',
      route: 'POST /api/status-reports/:id/review',
      prepare: async () => ({
        path: `/api/status-reports/${await freshReport()}/review`,
        body: { decision: 'accept' },
      }),
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'post',
      route: 'POST /api/status-reports/review',
      prepare: async () => ({
        path: '/api/status-reports/review',
        body: { ids: [await freshReport(), await freshReport()], decision: 'accept' },
      }),
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'get',
      route: 'GET /api/reporting-cycles',
      prepare: async () => ({ path: '/api/reporting-cycles' }),
      expect: READ,
    },
    {
      method: 'post',
      route: 'POST /api/reporting-cycles',
      prepare: async () => ({ path: '/api/reporting-cycles', body: cycleBody() }),
      expect: ADMIN_ONLY(201),
    },
    {
      method: 'get',
      route: 'GET /api/reporting-cycles/:id',
      prepare: async () => ({ path: `/api/reporting-cycles/${(await freshCycle()).id}` }),
      expect: READ,
    },
    {
      method: 'patch',
      route: 'PATCH /api/reporting-cycles/:id',
      prepare: async () => {
        const c = await freshCycle();
        return {
          path: `/api/reporting-cycles/${c.id}`,
          body: { version: c.version, name: 'Umbenannter Bericht' },
        };
      },
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'post',
      route: 'POST /api/reporting-cycles/:id/transition',
      prepare: async () => {
        const c = await freshCycle();
        return {
          path: `/api/reporting-cycles/${c.id}/transition`,
          body: { version: c.version, to: 'collecting' },
        };
      },
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'post',
      route: 'POST /api/reporting-cycles/:id/close',
      prepare: async () => {
        const c = await freshCycle('reviewing');
        return { path: `/api/reporting-cycles/${c.id}/close`, body: { version: c.version } };
      },
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'post',
      route: 'POST /api/reporting-cycles/:id/reopen',
      prepare: async () => {
        const c = await freshCycle('closed');
        return {
          path: `/api/reporting-cycles/${c.id}/reopen`,
          body: { version: c.version, reason: 'Nachmeldung eines Ressorts' },
        };
      },
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'get',
      route: 'GET /api/reporting-cycles/:id/completeness',
      prepare: async () => ({ path: `/api/reporting-cycles/${(await freshCycle()).id}/completeness` }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/reporting-cycles/:id/reminders',
      prepare: async () => ({ path: `/api/reporting-cycles/${(await freshCycle()).id}/reminders` }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/reporting-cycles/:id/snapshot',
      prepare: async () => ({ path: `/api/reporting-cycles/${(await freshCycle('closed')).id}/snapshot` }),
      expect: READ,
    },
    {
      method: 'post',
      route: 'POST /api/reporting-cycles/:id/report',
      prepare: async () => ({ path: `/api/reporting-cycles/${(await freshCycle()).id}/report` }),
      expect: ADMIN_ONLY(200),
    },
    {
      // The former GET says which request builds a report now, and builds nothing.
      method: 'get',
      route: 'GET /api/reporting-cycles/:id/report',
      prepare: async () => ({ path: `/api/reporting-cycles/${(await freshCycle()).id}/report` }),
      expect: { anonymous: 401, viewer: 405, editorLead: 405, editorOther: 405, admin: 405 },
    },
    {
      method: 'get',
      route: 'GET /api/reports',
      prepare: async () => ({ path: '/api/reports' }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/reports/:id/download',
      prepare: async () => {
        await t.http
          .post(`/api/reporting-cycles/${(await freshCycle()).id}/report`)
          .auth(admin(), { type: 'bearer' })
          .expect(200);
        const [latest] = (await t.http.get('/api/reports').auth(admin(), { type: 'bearer' })).body as {
          id: number;
        }[];
        return { path: `/api/reports/${latest.id}/download` };
      },
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/jobs',
      prepare: async () => ({ path: '/api/jobs' }),
      expect: READ,
    },
    {
      // The coordinating unit's job: its own and every admin's; to anyone else as if it did not exist.
      method: 'get',
      route: 'GET /api/jobs/:id',
      prepare: async () => ({ path: `/api/jobs/${await adminJob()}` }),
      expect: { anonymous: 401, viewer: 404, editorLead: 404, editorOther: 404, admin: 200 },
    },
    {
      method: 'get',
      route: 'GET /api/reporting-cycles/:id/templates/:departmentId',
      prepare: async () => ({
        path: `/api/reporting-cycles/${(await collectingCycle()).id}/templates/${ids.departments.ASJI}`,
      }),
      expect: LEAD_WRITE(200),
    },
    {
      method: 'post',
      route: 'POST /api/reporting-cycles/:id/imports',
      prepare: async () => {
        const cycle = await collectingCycle();
        const res = await t.http
          .get(`/api/reporting-cycles/${cycle.id}/templates/${ids.departments.ASJI}`)
          .auth(admin(), { type: 'bearer' })
          .buffer(true)
          .parse(binaryParser);
        return {
          path: `/api/reporting-cycles/${cycle.id}/imports`,
          upload: { file: res.body as Buffer, fields: { dryRun: 'true' } },
        };
      },
      expect: LEAD_WRITE(200),
    },
    {
      method: 'post',
      route: 'POST /api/measure-plan/imports',
      prepare: async () => ({
        path: '/api/measure-plan/imports',
        upload: { file: readFileSync('data/massnahmenplan-beispiel.xlsx'), fields: { dryRun: 'true' } },
      }),
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'get',
      route: 'GET /api/measure-plan',
      prepare: async () => ({ path: '/api/measure-plan' }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/measures/:id/changes',
      prepare: async () => ({ path: `/api/measures/${(await freshMeasure()).id}/changes` }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/governance/bodies',
      prepare: async () => ({ path: '/api/governance/bodies' }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/governance/bodies/:id',
      prepare: async () => ({ path: `/api/governance/bodies/${await bodyId()}` }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/governance/cadence',
      prepare: async () => ({ path: '/api/governance/cadence?year=2025' }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/meetings',
      prepare: async () => ({ path: '/api/meetings' }),
      expect: READ,
    },
    {
      method: 'post',
      route: 'POST /api/meetings',
      prepare: async () => ({
        path: '/api/meetings',
        body: { bodyId: await bodyId(), date: '2026-03-04', title: 'Sitzung der Begleitgruppe' },
      }),
      expect: ADMIN_ONLY(201),
    },
    {
      method: 'get',
      route: 'GET /api/meetings/:id',
      prepare: async () => ({ path: `/api/meetings/${(await freshMeeting()).id}` }),
      expect: READ,
    },
    {
      method: 'patch',
      route: 'PATCH /api/meetings/:id',
      prepare: async () => {
        const m = await freshMeeting();
        return {
          path: `/api/meetings/${m.id}`,
          body: { version: m.version, minutesSummary: 'Protokoll ergänzt.' },
        };
      },
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'get',
      route: 'GET /api/decisions',
      prepare: async () => ({ path: '/api/decisions' }),
      expect: READ,
    },
    {
      method: 'post',
      route: 'POST /api/decisions',
      prepare: async () => ({
        path: '/api/decisions',
        body: {
          meetingId: (await freshMeeting()).id,
          kind: 'other',
          text: 'Bericht vorlegen.',
          responsibleDepartmentId: ids.departments.ASJI,
        },
      }),
      expect: ADMIN_ONLY(201),
    },
    {
      method: 'get',
      route: 'GET /api/decisions/:id',
      prepare: async () => ({ path: `/api/decisions/${(await freshDecision()).id}` }),
      expect: READ,
    },
    {
      method: 'post',
      route: 'POST /api/decisions/:id/state',
      prepare: async () => {
        const d = await freshDecision();
        return { path: `/api/decisions/${d.id}/state`, body: { version: d.version, state: 'in_progress' } };
      },
      expect: LEAD_WRITE(200),
    },
    {
      method: 'post',
      route: 'POST /api/decisions/:id/apply',
      prepare: async () => {
        const d = await freshDecision();
        const m = await freshMeasure();
        return {
          path: `/api/decisions/${d.id}/apply`,
          body: { action: 'extend', measureId: m.id, version: m.version, plannedEnd: '2030-12-31' },
        };
      },
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'get',
      route: 'GET /api/indicators',
      prepare: async () => ({ path: '/api/indicators' }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/indicators/:id',
      prepare: async () => ({ path: `/api/indicators/${(await indicator()).id}` }),
      expect: READ,
    },
    {
      method: 'patch',
      route: 'PATCH /api/indicators/:id',
      prepare: async () => {
        const i = await indicator();
        return {
          path: `/api/indicators/${i.id}`,
          body: { version: i.version, targetYear: 2030, targetValue: 4 },
        };
      },
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'post',
      route: 'POST /api/indicators/:id/values',
      prepare: async () => {
        valueYear += 1;
        return {
          path: `/api/indicators/${(await indicator()).id}/values`,
          body: { year: valueYear, group: 'gesamt', value: 3.1 },
        };
      },
      expect: ADMIN_ONLY(201),
    },
    {
      method: 'patch',
      route: 'PATCH /api/indicators/:id/values/:valueId',
      prepare: async () => {
        valueYear += 1;
        const i = await indicator();
        const res = await t.http
          .post(`/api/indicators/${i.id}/values`)
          .auth(admin(), { type: 'bearer' })
          .send({ year: valueYear, group: 'gesamt', value: 1 })
          .expect(201);
        const value = (res.body.values as { id: number; year: number; version: number }[]).find(
          (v) => v.year === valueYear,
        )!;
        return {
          path: `/api/indicators/${i.id}/values/${value.id}`,
          body: { version: value.version, value: 2 },
        };
      },
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'post',
      route: 'POST /api/indicators/imports',
      prepare: async () => {
        const workbook = new ExcelJS.Workbook();
        const sheet = workbook.addWorksheet('Werte');
        sheet.addRow(['Indikator', 'Jahr', 'Gruppe', 'Wert', 'Anmerkung']);
        sheet.addRow(['B2a', 2020, 'gesamt', 1.5, '']);
        return {
          path: '/api/indicators/imports',
          upload: { file: Buffer.from(await workbook.xlsx.writeBuffer()), fields: { dryRun: 'true' } },
        };
      },
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'get',
      route: 'GET /api/dashboard',
      prepare: async () => ({ path: '/api/dashboard' }),
      expect: READ,
    },
    {
      method: 'get',
      route: 'GET /api/audit',
      prepare: async () => ({ path: '/api/audit' }),
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'get',
      route: 'GET /api/users',
      prepare: async () => ({ path: '/api/users' }),
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'post',
      route: 'POST /api/users',
      prepare: async () => ({
        path: '/api/users',
        body: {
          email: `neu-${randomUUID()}@example.org`,
          displayName: 'Neu',
          role: 'viewer',
          password: 'Ein-gutes-Passwort-2',
        },
      }),
      expect: ADMIN_ONLY(201),
    },
    {
      method: 'get',
      route: 'GET /api/users/:id',
      prepare: async () => ({ path: `/api/users/${(await freshUser()).id}` }),
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'patch',
      route: 'PATCH /api/users/:id',
      prepare: async () => {
        const u = await freshUser();
        return { path: `/api/users/${u.id}`, body: { version: u.version, displayName: 'Umbenannt' } };
      },
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'post',
      route: 'POST /api/users/:id/password',
      prepare: async () => ({
        path: `/api/users/${(await freshUser()).id}/password`,
        body: { password: 'Noch-ein-Passwort-3' },
      }),
      expect: ADMIN_ONLY(200),
    },
  ];
  /** Pages: not signed in → 303 to the sign-in page; wrong role → 403 page; allowed → 200, or 303 after a form. */
  const PAGE_READ = { anonymous: 303, viewer: 200, editorLead: 200, editorOther: 200, admin: 200 };
  const PAGE_ADMIN = (ok: number) => ({
    anonymous: 303,
    viewer: 403,
    editorLead: 403,
    editorOther: 403,
    admin: ok,
  });
  const PAGE_LEAD = (ok: number) => ({
    anonymous: 303,
    viewer: 403,
    editorLead: ok,
    editorOther: 403,
    admin: ok,
  });
  const PAGE_EDITOR = (ok: number, other = ok) => ({
    anonymous: 303,
    viewer: 403,
    editorLead: ok,
    editorOther: other,
    admin: 403,
  });
  const PUBLIC_PAGE = { anonymous: 200, viewer: 200, editorLead: 200, editorOther: 200, admin: 200 };
  WEB_CASES.push(
    {
      web: true,
      method: 'get',
      route: 'GET /anmelden',
      prepare: async () => ({ path: '/anmelden' }),
      expect: { ...PUBLIC_PAGE, viewer: 303, editorLead: 303, editorOther: 303, admin: 303 },
    },
    {
      web: true,
      method: 'get',
      route: 'GET /konto/passwort',
      prepare: async () => ({ path: '/konto/passwort' }),
      expect: PAGE_READ,
    },
    {
      web: true,
      method: 'get',
      route: 'GET /plaene',
      prepare: async () => ({ path: '/plaene' }),
      expect: PAGE_READ,
    },
    {
      web: true,
      method: 'get',
      route: 'GET /plaene/wechseln',
      prepare: async () => ({ path: '/plaene/wechseln?plan=unbekannt&ziel=/massnahmen' }),
      expect: { ...PAGE_READ, viewer: 303, editorLead: 303, editorOther: 303, admin: 303 },
    },
    {
      web: true,
      method: 'get',
      route: 'ALL /plaene/:code',
      prepare: async () => ({ path: '/plaene/unbekannt' }),
      expect: { anonymous: 404, viewer: 404, editorLead: 404, editorOther: 404, admin: 404 },
    },
    {
      web: true,
      method: 'get',
      route: 'ALL /plaene/:code/*rest',
      prepare: async () => ({ path: '/plaene/unbekannt/massnahmen' }),
      expect: { anonymous: 404, viewer: 404, editorLead: 404, editorOther: 404, admin: 404 },
    },
    {
      web: true,
      method: 'get',
      route: 'GET /barrierefreiheit',
      prepare: async () => ({ path: '/barrierefreiheit' }),
      expect: PUBLIC_PAGE,
    },
    { web: true, method: 'get', route: 'GET /', prepare: async () => ({ path: '/' }), expect: PAGE_READ },
    {
      web: true,
      method: 'get',
      route: 'GET /massnahmen',
      prepare: async () => ({ path: '/massnahmen' }),
      expect: PAGE_READ,
    },
    {
      web: true,
      method: 'get',
      route: 'GET /massnahmen/:id',
      prepare: async () => ({ path: `/massnahmen/${(await freshMeasure()).id}` }),
      expect: PAGE_READ,
    },
    {
      web: true,
      method: 'get',
      route: 'GET /massnahmen/:id/meldung',
      prepare: async () => ({ path: `/massnahmen/${(await freshMeasure()).id}/meldung` }),
      expect: PAGE_LEAD(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /massnahmen/:id/meldung',
      prepare: async () => ({
        path: `/massnahmen/${(await freshMeasure()).id}/meldung`,
        body: { status: 'planned', progress: '0', summary: 'Vorbereitung läuft planmäßig.' },
      }),
      expect: PAGE_LEAD(303),
    },
    // The measure catalogue pages (create, edit, lifecycle, Maßnahmenplan).
    {
      web: true,
      method: 'get',
      route: 'GET /massnahmen/neu',
      prepare: async () => ({ path: '/massnahmen/neu' }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /massnahmen/neu',
      prepare: async () => {
        const m = newMeasure(ids);
        return {
          path: '/massnahmen/neu',
          body: {
            code: m.code,
            title: m.title,
            actionFieldId: String(m.actionFieldId),
            goalIds: String(ids.goals['2.1']),
            leadDepartmentId: String(m.leadDepartmentId),
            level: m.level,
            plannedStart: '01.01.2026',
          },
        };
      },
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /massnahmen/:id/bearbeiten',
      prepare: async () => ({ path: `/massnahmen/${(await freshMeasure()).id}/bearbeiten` }),
      expect: PAGE_LEAD(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /massnahmen/:id/bearbeiten',
      prepare: async () => {
        const m = await freshMeasure();
        return {
          path: `/massnahmen/${m.id}/bearbeiten`,
          body: { version: String(m.version), description: 'Über das Formular geändert.' },
        };
      },
      expect: PAGE_LEAD(303),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /massnahmen/:id/lebenszyklus',
      prepare: async () => {
        const m = await freshMeasure();
        return {
          path: `/massnahmen/${m.id}/lebenszyklus`,
          body: { version: String(m.version), lifecycle: 'discontinued', reason: 'Förderung beendet.' },
        };
      },
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /dateien/massnahmenplan',
      prepare: async () => ({ path: '/dateien/massnahmenplan' }),
      expect: PAGE_READ,
    },
    {
      web: true,
      method: 'post',
      route: 'POST /massnahmen/massnahmenplan',
      prepare: async () => {
        const res = await t.http
          .get('/api/measure-plan')
          .auth(admin(), { type: 'bearer' })
          .buffer(true)
          .parse(binaryParser);
        return { path: '/massnahmen/massnahmenplan', upload: { file: res.body as Buffer, fields: {} } };
      },
      // A check only (the preview page); nothing is written until "Übernehmen".
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /massnahmen/massnahmenplan/uebernehmen',
      // No file was kept under this key: the admin is told to upload again (409); nothing is written.
      prepare: async () => ({ path: '/massnahmen/massnahmenplan/uebernehmen', body: { token: 'unbekannt' } }),
      expect: PAGE_ADMIN(409),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /meldungen',
      prepare: async () => ({ path: '/meldungen' }),
      // Editors see their own department, the admin chooses any.
      expect: { ...PAGE_EDITOR(200), admin: 200 },
    },
    {
      web: true,
      method: 'post',
      route: 'POST /meldungen/vorlage',
      prepare: async () => {
        const cycle = await collectingCycle();
        const res = await t.http
          .get(`/api/reporting-cycles/${cycle.id}/templates/${ids.departments.ASJI}`)
          .auth(admin(), { type: 'bearer' })
          .buffer(true)
          .parse(binaryParser);
        return {
          path: '/meldungen/vorlage',
          upload: { file: res.body as Buffer, fields: { dryRun: 'true' } },
        };
      },
      // The other department's editor uploads the lead department's file: refused on the page (403).
      expect: PAGE_EDITOR(200, 403),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /pruefung',
      prepare: async () => ({ path: '/pruefung' }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /pruefung/:id',
      prepare: async () => ({ path: `/pruefung/${await freshReport()}`, body: { decision: 'accept' } }),
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /pruefung/auswahl',
      prepare: async () => ({
        path: '/pruefung/auswahl',
        // One ticked box (a form sends each ticked box as its own "ids" field).
        body: { ids: String(await freshReport()) },
      }),
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /berichtszyklen',
      prepare: async () => ({ path: '/berichtszyklen' }),
      expect: PAGE_READ,
    },
    {
      web: true,
      method: 'post',
      route: 'POST /berichtszyklen/:id/uebergang',
      prepare: async () => {
        const c = await freshCycle();
        return {
          path: `/berichtszyklen/${c.id}/uebergang`,
          body: { to: 'collecting', version: String(c.version) },
        };
      },
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /berichtszyklen/:id/uebergang',
      prepare: async () => ({ path: `/berichtszyklen/${(await freshCycle()).id}/uebergang?nach=collecting` }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /berichtszyklen/neu',
      prepare: async () => ({ path: '/berichtszyklen/neu' }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /rahmenkonzept',
      prepare: async () => ({ path: '/rahmenkonzept' }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /rahmenkonzept/aenderungen',
      prepare: async () => ({
        path: '/rahmenkonzept/aenderungen',
        body: revisionForm(await frameworkVersion(t)),
      }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /rahmenkonzept/vorschau',
      prepare: async () => ({
        path: '/rahmenkonzept/vorschau',
        body: revisionForm(await frameworkVersion(t)),
      }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /rahmenkonzept/fortschreibung',
      prepare: async () => ({
        path: '/rahmenkonzept/fortschreibung',
        body: revisionForm(await frameworkVersion(t)),
      }),
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /rahmenkonzept/einstellungen',
      prepare: async () => ({
        path: '/rahmenkonzept/einstellungen',
        body: { settingsVersion: String(await settingsVersion(t)), publicBudget: 'ja' },
      }),
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /berichtszyklen',
      prepare: async () => ({ path: '/berichtszyklen', body: cycleBody() }),
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /berichtszyklen/:id/bearbeiten',
      prepare: async () => ({ path: `/berichtszyklen/${(await freshCycle()).id}/bearbeiten` }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /berichtszyklen/:id/bearbeiten',
      prepare: async () => {
        const c = await freshCycle();
        return {
          path: `/berichtszyklen/${c.id}/bearbeiten`,
          body: { version: String(c.version), name: 'Umsetzungsbericht (geändert)' },
        };
      },
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /berichtszyklen/:id/bericht',
      prepare: async () => ({ path: `/berichtszyklen/${(await freshCycle()).id}/bericht`, body: {} }),
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /dateien/berichte/:id',
      prepare: async () => {
        await t.http
          .post(`/api/reporting-cycles/${(await freshCycle()).id}/report`)
          .auth(admin(), { type: 'bearer' })
          .expect(200);
        const [latest] = (await t.http.get('/api/reports').auth(admin(), { type: 'bearer' })).body as {
          id: number;
        }[];
        return { path: `/dateien/berichte/${latest.id}` };
      },
      expect: PAGE_READ,
    },
    {
      web: true,
      method: 'get',
      route: 'GET /dateien/vorlage/:cycleId/:departmentId',
      prepare: async () => ({
        path: `/dateien/vorlage/${(await collectingCycle()).id}/${ids.departments.ASJI}`,
      }),
      expect: PAGE_LEAD(200),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /gremien',
      prepare: async () => ({ path: '/gremien' }),
      expect: PAGE_READ,
    },
    {
      web: true,
      method: 'post',
      route: 'POST /gremien/beschluesse/:id/stand',
      prepare: async () => {
        const d = await freshDecision();
        return {
          path: `/gremien/beschluesse/${d.id}/stand`,
          body: { state: 'in_progress', version: String(d.version) },
        };
      },
      expect: PAGE_LEAD(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /gremien/sitzungen/neu',
      prepare: async () => ({ path: '/gremien/sitzungen/neu' }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /gremien/sitzungen',
      prepare: async () => ({
        path: '/gremien/sitzungen',
        body: { bodyId: String(await bodyId()), date: '2026-03-04', title: 'Sitzung über das Formular' },
      }),
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /gremien/beschluesse/neu',
      prepare: async () => ({ path: '/gremien/beschluesse/neu' }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /gremien/beschluesse',
      prepare: async () => ({
        path: '/gremien/beschluesse',
        body: {
          meetingId: String((await freshMeeting()).id),
          kind: 'other',
          text: 'Bericht über das Formular vorlegen.',
          responsibleDepartmentId: String(ids.departments.ASJI),
        },
      }),
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /gremien/beschluesse/:id/anwenden',
      prepare: async () => ({ path: `/gremien/beschluesse/${(await freshDecision()).id}/anwenden` }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /gremien/beschluesse/:id/vorschau',
      prepare: async () => ({
        path: `/gremien/beschluesse/${(await freshDecision()).id}/vorschau`,
        body: { measureId: String((await freshMeasure()).id), action: 'discontinue' },
      }),
      // The preview writes nothing.
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /gremien/beschluesse/:id/anwenden',
      prepare: async () => {
        const m = await freshMeasure();
        return {
          path: `/gremien/beschluesse/${(await freshDecision()).id}/anwenden`,
          body: { measureId: String(m.id), version: String(m.version), action: 'discontinue' },
        };
      },
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /indikatoren',
      prepare: async () => ({ path: '/indikatoren' }),
      expect: PAGE_READ,
    },
    {
      web: true,
      method: 'get',
      route: 'GET /konten',
      prepare: async () => ({ path: '/konten' }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /konten',
      prepare: async () => ({
        path: '/konten',
        body: {
          email: `web-${randomUUID()}@example.org`,
          displayName: 'Web',
          role: 'viewer',
          password: 'Ein-gutes-Passwort-4',
        },
      }),
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /konten/:id/deaktivieren',
      prepare: async () => {
        const u = await freshUser();
        return { path: `/konten/${u.id}/deaktivieren`, body: { version: String(u.version) } };
      },
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /protokoll',
      prepare: async () => ({ path: '/protokoll' }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /konten/:id',
      prepare: async () => ({ path: `/konten/${(await freshUser()).id}` }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /konten/:id',
      prepare: async () => {
        const u = await freshUser();
        return {
          path: `/konten/${u.id}`,
          body: { version: String(u.version), role: 'viewer', displayName: 'Umbenannt' },
        };
      },
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /konten/:id/passwort',
      prepare: async () => ({ path: `/konten/${(await freshUser()).id}/passwort`, body: {} }),
      // The one-time password is shown on the answer itself, never behind a redirect.
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /konten/:id/reaktivieren',
      prepare: async () => {
        const u = await freshUser();
        const off = await t.http
          .patch(`/api/users/${u.id}`)
          .auth(admin(), { type: 'bearer' })
          .send({ version: u.version, active: false })
          .expect(200);
        return {
          path: `/konten/${u.id}/reaktivieren`,
          body: { version: String((off.body as { version: number }).version) },
        };
      },
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /indikatoren/:id',
      prepare: async () => ({ path: `/indikatoren/${(await indicator()).id}` }),
      expect: PAGE_READ,
    },
    {
      web: true,
      method: 'post',
      route: 'POST /indikatoren/:id/werte',
      prepare: async () => {
        valueYear += 1;
        return {
          path: `/indikatoren/${(await indicator()).id}/werte`,
          body: { year: String(valueYear), group: 'gesamt', value: '2,5' },
        };
      },
      expect: PAGE_ADMIN(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /indikatoren/import',
      prepare: async () => ({ path: '/indikatoren/import' }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /indikatoren/import',
      prepare: async () => {
        valueYear += 1;
        const workbook = new ExcelJS.Workbook();
        const sheet = workbook.addWorksheet('Werte');
        sheet.addRow(['Indikator', 'Jahr', 'Gruppe', 'Wert', 'Anmerkung']);
        sheet.addRow(['B2a', valueYear, 'gesamt', 2.5, '']);
        return {
          path: '/indikatoren/import',
          upload: { file: Buffer.from(await workbook.xlsx.writeBuffer()), fields: {} },
        };
      },
      // A dry run: the preview page, nothing written.
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /indikatoren/import/uebernehmen',
      prepare: async () => ({ path: '/indikatoren/import/uebernehmen', body: { token: 'unbekannt' } }),
      // No checked file under this key: the admin is told to upload again (409); the others are refused.
      expect: PAGE_ADMIN(409),
    },
  );
  // Reminders by e-mail (the matrix app has no SMTP_URL: a run by hand is refused with 409, a dry run is not)
  // and single sign-on (not configured here: its two routes answer 404 for everyone).
  const ALL = (status: number) => ({
    anonymous: status,
    viewer: status,
    editorLead: status,
    editorOther: status,
    admin: status,
  });
  CASES.push(
    {
      method: 'get',
      route: 'GET /api/notifications',
      prepare: async () => ({ path: '/api/notifications' }),
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'post',
      route: 'POST /api/notifications/run',
      prepare: async () => ({ path: '/api/notifications/run', body: { dryRun: true } }),
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'get',
      route: 'GET /api/account/notifications',
      prepare: async () => ({ path: '/api/account/notifications' }),
      expect: READ,
    },
    {
      method: 'patch',
      route: 'PATCH /api/account/notifications',
      prepare: async () => ({ path: '/api/account/notifications', body: { digestEmails: true } }),
      expect: READ,
    },
  );
  WEB_CASES.push(
    {
      web: true,
      method: 'get',
      route: 'GET /auftraege',
      prepare: async () => ({ path: '/auftraege' }),
      expect: PAGE_READ,
    },
    {
      web: true,
      method: 'get',
      route: 'GET /auftraege/:id',
      prepare: async () => ({ path: `/auftraege/${await adminJob()}` }),
      expect: { anonymous: 303, viewer: 404, editorLead: 404, editorOther: 404, admin: 200 },
    },
    {
      web: true,
      method: 'get',
      route: 'GET /benachrichtigungen',
      prepare: async () => ({ path: '/benachrichtigungen' }),
      expect: PAGE_ADMIN(200),
    },
    {
      web: true,
      method: 'post',
      route: 'POST /benachrichtigungen/versenden',
      prepare: async () => ({ path: '/benachrichtigungen/versenden', body: {} }),
      expect: PAGE_ADMIN(409),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /konto/benachrichtigungen',
      prepare: async () => ({ path: '/konto/benachrichtigungen' }),
      expect: PAGE_READ,
    },
    {
      web: true,
      method: 'post',
      route: 'POST /konto/benachrichtigungen',
      prepare: async () => ({ path: '/konto/benachrichtigungen', body: { digestEmails: 'ja' } }),
      expect: ALL(303),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /anmelden/dienstkonto',
      prepare: async () => ({ path: '/anmelden/dienstkonto' }),
      expect: ALL(404),
    },
    {
      web: true,
      method: 'get',
      route: 'GET /anmelden/dienstkonto/rueckruf',
      prepare: async () => ({ path: '/anmelden/dienstkonto/rueckruf?code=x&state=y' }),
      expect: ALL(404),
    },
  );
  CASES.push(...WEB_CASES);

  /** Routes with their own tests below (they end sessions or are the door itself). */
  CASES.push({
    method: 'get',
    route: 'GET /api/health/live',
    prepare: async () => ({ path: '/api/health/live' }),
    expect: { anonymous: 200, viewer: 200, editorLead: 200, editorOther: 200, admin: 200 },
  });
  /** Open data (Öffentliches Berichtswesen): for everyone, of a published demo cycle. */
  async function publishedCycleCode(): Promise<string> {
    const cycles = (await t.http.get('/api/public/cycles').expect(200)).body as { code: string }[];
    return cycles[0].code;
  }
  const EVERYONE = { anonymous: 200, viewer: 200, editorLead: 200, editorOther: 200, admin: 200 };
  CASES.push(
    {
      method: 'get',
      route: 'GET /api/public/cycles',
      prepare: async () => ({ path: '/api/public/cycles' }),
      expect: EVERYONE,
    },
    {
      method: 'get',
      route: 'GET /api/public/cycles/:code/measures.json',
      prepare: async () => ({ path: `/api/public/cycles/${await publishedCycleCode()}/measures.json` }),
      expect: EVERYONE,
    },
    {
      method: 'get',
      route: 'GET /api/public/cycles/:code/measures.csv',
      prepare: async () => ({ path: `/api/public/cycles/${await publishedCycleCode()}/measures.csv` }),
      expect: EVERYONE,
    },
  );
  /** The published cycle's Umsetzungsbericht as a document: generated once by the admin, then public. */
  const publishedDocuments = new Map<string, string>();
  async function publishedDocument(format: 'pdf' | 'docx'): Promise<string> {
    const known = publishedDocuments.get(format);
    if (known) return known;
    const code = await publishedCycleCode();
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin(), { type: 'bearer' })).body as {
      id: number;
      code: string;
    }[];
    await t.http
      .post(`/api/reporting-cycles/${cycles.find((c) => c.code === code)!.id}/report?format=${format}`)
      .auth(admin(), { type: 'bearer' })
      .expect(200);
    const plan = (await t.http.get('/api/framework').auth(admin(), { type: 'bearer' })).body as {
      code: string;
    };
    const path = `/oeffentlich/${plan.code}/${code}/umsetzungsbericht.${format}`;
    publishedDocuments.set(format, path);
    return path;
  }
  CASES.push(
    {
      method: 'get',
      route: 'GET /oeffentlich/:plan/:cycle/umsetzungsbericht.pdf',
      prepare: async () => ({ path: await publishedDocument('pdf') }),
      expect: EVERYONE,
    },
    {
      method: 'get',
      route: 'GET /oeffentlich/:plan/:cycle/umsetzungsbericht.docx',
      prepare: async () => ({ path: await publishedDocument('docx') }),
      expect: EVERYONE,
    },
  );
  /** Public pages (/oeffentlich) of the published demo cycle: for everyone, signed in or not. */
  async function publicPage(suffix = ''): Promise<{ path: string }> {
    const code = await publishedCycleCode();
    const data = (await t.http.get(`/api/public/cycles/${code}/measures.json`).expect(200)).body as {
      metadata: { plan: { code: string } };
      measures: { code: string }[];
    };
    const measure = encodeURIComponent(data.measures[0].code);
    return {
      path: `/oeffentlich/${data.metadata.plan.code}/${code}${suffix.replace(':measure', measure)}`,
    };
  }
  CASES.push(
    {
      method: 'get',
      route: 'GET /oeffentlich',
      prepare: async () => ({ path: '/oeffentlich' }),
      expect: EVERYONE,
    },
    {
      method: 'get',
      route: 'GET /oeffentlich/:plan',
      prepare: async () => ({ path: (await publicPage()).path.replace(/\/[^/]+$/, '') }),
      expect: EVERYONE,
    },
    {
      method: 'get',
      route: 'GET /oeffentlich/:plan/:cycle',
      prepare: () => publicPage(),
      expect: EVERYONE,
    },
    {
      method: 'get',
      route: 'GET /oeffentlich/:plan/:cycle/massnahmen',
      prepare: () => publicPage('/massnahmen?q=a'),
      expect: EVERYONE,
    },
    {
      method: 'get',
      route: 'GET /oeffentlich/:plan/:cycle/massnahmen/:measure',
      prepare: () => publicPage('/massnahmen/:measure'),
      expect: EVERYONE,
    },
    {
      // Any other address under /oeffentlich: the public 404 page, for everyone alike.
      method: 'get',
      route: 'GET /oeffentlich/*rest',
      prepare: () => publicPage('/massnahmen/:measure/weiter'),
      expect: { anonymous: 404, viewer: 404, editorLead: 404, editorOther: 404, admin: 404 },
    },
    {
      method: 'get',
      route: 'GET /robots.txt',
      prepare: async () => ({ path: '/robots.txt' }),
      expect: EVERYONE,
    },
  );
  const TESTED_ELSEWHERE = [
    'POST /api/auth/login',
    'POST /api/auth/logout',
    'POST /anmelden',
    'POST /abmelden',
    // Changing one's own password ends the other sessions of the account: tested in the auth suite.
    'POST /api/auth/password',
    'POST /konto/passwort',
  ];

  function applicationRoutes(): { route: string; access: unknown; planOf?: unknown }[] {
    const scanner = new MetadataScanner();
    const routes: { route: string; access: unknown; planOf?: unknown }[] = [];
    const controllers = [...t.app.get(ModulesContainer).values()].flatMap((module) => [
      ...module.controllers.values(),
    ]);
    for (const wrapper of controllers) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prefix = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '');
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const full = [prefix, path]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/');
        routes.push({
          route: `${method} /${full}`,
          access:
            Reflect.getMetadata(ACCESS_KEY, handler) ?? Reflect.getMetadata(ACCESS_KEY, wrapper.metatype),
          planOf: Reflect.getMetadata(PLAN_OF_KEY, handler) as unknown,
        });
      }
    }
    return routes;
  }

  it('every route of the application declares who may call it', () => {
    const routes = applicationRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const undeclared = routes.filter((r) => r.access === undefined).map((r) => r.route);
    expect(undeclared).toEqual([]);
  });

  it('the matrix below covers every route of the application', () => {
    const covered = new Set([...CASES.map((c) => c.route), ...TESTED_ELSEWHERE]);
    const missing = applicationRoutes()
      .map((r) => r.route)
      .filter((r) => !covered.has(r));
    expect(missing).toEqual([]);
  });

  describe.each(CASES.map((c) => [c.route, c] as const))('%s', (_route, routeCase) => {
    it.each(ROLES)('as %s', async (role) => {
      const prepared = await routeCase.prepare();
      const before = await databaseFingerprint(t.dataSource);
      const token = tokens[role as Exclude<Role, 'anonymous'>];
      let req = t.http[routeCase.method](prepared.path);
      if (routeCase.web) {
        if (token) req = req.set('Cookie', `${SESSION_COOKIE}=${token}`);
        if (prepared.body) {
          const csrf = token ? csrfToken(t.app.get(AuthService).csrfSecret, token) : '';
          prepared.body = { ...prepared.body, _csrf: csrf };
          req = req.type('form');
        }
        if (prepared.upload) {
          req = t.http[routeCase.method](prepared.path).set(
            'Cookie',
            token ? `${SESSION_COOKIE}=${token}` : '',
          );
          // The token travels in the form body, as the page's form sends it.
          if (token) req = req.field('_csrf', csrfToken(t.app.get(AuthService).csrfSecret, token));
        }
      } else if (token) req = req.auth(token, { type: 'bearer' });
      if (prepared.upload) {
        for (const [name, value] of Object.entries(prepared.upload.fields)) req = req.field(name, value);
        req = req.attach('file', prepared.upload.file, 'datei.xlsx');
      }
      const res = prepared.body ? await req.send(prepared.body) : await req;
      expect({ role, status: res.status }).toEqual({ role, status: routeCase.expect[role] });
      if (routeCase.web && role === 'anonymous' && res.status === 303) {
        expect(res.headers.location).toMatch(/^\/anmelden/);
      }
      const refused =
        res.status === 401 ||
        res.status === 403 ||
        (routeCase.web && role === 'anonymous' && res.status === 303);
      if (refused && !(routeCase.web && routeCase.expect.anonymous !== 303)) {
        if (!routeCase.web) expect(res.body.message).toEqual(expect.any(String));
        expect(await databaseFingerprint(t.dataSource)).toBe(before);
      }
    });
  });

  it('an editor may not change structural fields of its own measures, and nothing changes', async () => {
    const measure = await freshMeasure();
    const before = await databaseFingerprint(t.dataSource);
    const res = await t.http
      .patch(`/api/measures/${measure.id}`)
      .auth(tokens.editorLead!, { type: 'bearer' })
      .send({ version: measure.version, leadDepartmentId: ids.departments.SKB, code: '3.1-99' })
      .expect(403);
    expect(res.body.message).toMatch(/Koordinierungsstelle.*leadDepartmentId/);
    expect(res.body.message).toMatch(/code/);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  });
  /**
   * A second plan: an editor whose only membership is in plan A (the Bremen plan, department ASJI) can neither
   * read nor write plan B's records, even those its department leads there; every route that works on one
   * plan-bound record (@PlanOf) or names plan B is tried, and nothing changes. With a viewer membership in plan B
   * the same account reads plan B as a viewer and still writes nothing there.
   */
  describe('a second plan', () => {
    interface PlanB {
      id: number;
      fieldId: number;
      measureId: number;
      reportId: number;
      cycleId: number;
      bodyId: number;
      meetingId: number;
      decisionId: number;
      indicatorId: number;
      revisionId: number;
      implementationReportId: number;
    }
    let b: PlanB;
    interface PlanCase {
      route: string;
      web?: boolean;
      path: () => string;
      body?: () => Record<string, unknown>;
    }
    const api = (route: string, path: () => string, body?: () => Record<string, unknown>): PlanCase => ({
      route,
      path,
      body,
    });
    const page = (route: string, path: () => string, body?: () => Record<string, unknown>): PlanCase => ({
      route,
      web: true,
      path,
      body: body ?? (route.startsWith('POST') ? () => ({}) : undefined),
    });
    const PLAN_B_CASES: PlanCase[] = [
      api('GET /api/measures', () => `/api/measures?frameworkId=${b.id}`),
      api(
        'POST /api/measures',
        () => '/api/measures',
        () => ({ actionFieldId: b.fieldId }),
      ),
      api('GET /api/measures/:id', () => `/api/measures/${b.measureId}`),
      api(
        'PATCH /api/measures/:id',
        () => `/api/measures/${b.measureId}`,
        () => ({ version: 1, title: 'Neu' }),
      ),
      api(
        'POST /api/measures/:id/lifecycle',
        () => `/api/measures/${b.measureId}/lifecycle`,
        () => ({}),
      ),
      api('GET /api/measures/:id/changes', () => `/api/measures/${b.measureId}/changes`),
      api('GET /api/measures/:id/status-reports', () => `/api/measures/${b.measureId}/status-reports`),
      api(
        'POST /api/measures/:id/status-reports',
        () => `/api/measures/${b.measureId}/status-reports`,
        () => newReport(),
      ),
      api('GET /api/status-reports/:id', () => `/api/status-reports/${b.reportId}`),
      api(
        'POST /api/status-reports/:id/review',
        () => `/api/status-reports/${b.reportId}/review`,
        () => ({
          decision: 'accept',
        }),
      ),
      api('GET /api/reporting-cycles', () => `/api/reporting-cycles?frameworkId=${b.id}`),
      api(
        'POST /api/reporting-cycles',
        () => '/api/reporting-cycles',
        () => ({
          ...cycleBody(),
          frameworkId: b.id,
        }),
      ),
      api('GET /api/reporting-cycles/:id', () => `/api/reporting-cycles/${b.cycleId}`),
      api(
        'PATCH /api/reporting-cycles/:id',
        () => `/api/reporting-cycles/${b.cycleId}`,
        () => ({ version: 1 }),
      ),
      api(
        'POST /api/reporting-cycles/:id/transition',
        () => `/api/reporting-cycles/${b.cycleId}/transition`,
        () => ({
          to: 'collecting',
          version: 1,
        }),
      ),
      api(
        'POST /api/reporting-cycles/:id/close',
        () => `/api/reporting-cycles/${b.cycleId}/close`,
        () => ({
          version: 1,
        }),
      ),
      api(
        'POST /api/reporting-cycles/:id/reopen',
        () => `/api/reporting-cycles/${b.cycleId}/reopen`,
        () => ({
          version: 1,
          reason: 'Prüfung',
        }),
      ),
      api(
        'GET /api/reporting-cycles/:id/completeness',
        () => `/api/reporting-cycles/${b.cycleId}/completeness`,
      ),
      api('GET /api/reporting-cycles/:id/reminders', () => `/api/reporting-cycles/${b.cycleId}/reminders`),
      api('GET /api/reporting-cycles/:id/snapshot', () => `/api/reporting-cycles/${b.cycleId}/snapshot`),
      api(
        'POST /api/reporting-cycles/:id/report',
        () => `/api/reporting-cycles/${b.cycleId}/report`,
        () => ({}),
      ),
      api('GET /api/reporting-cycles/:id/report', () => `/api/reporting-cycles/${b.cycleId}/report`),
      api('GET /api/reports/:id/download', () => `/api/reports/${b.implementationReportId}/download`),
      api(
        'GET /api/reporting-cycles/:id/templates/:departmentId',
        () => `/api/reporting-cycles/${b.cycleId}/templates/${ids.departments.ASJI}`,
      ),
      api(
        'POST /api/reporting-cycles/:id/imports',
        () => `/api/reporting-cycles/${b.cycleId}/imports`,
        () => ({}),
      ),
      api('GET /api/governance/bodies', () => `/api/governance/bodies?frameworkId=${b.id}`),
      api('GET /api/governance/bodies/:id', () => `/api/governance/bodies/${b.bodyId}`),
      api('GET /api/meetings', () => `/api/meetings?frameworkId=${b.id}`),
      api(
        'POST /api/meetings',
        () => '/api/meetings',
        () => ({ bodyId: b.bodyId, date: '2026-03-03', title: 'X' }),
      ),
      api('GET /api/meetings/:id', () => `/api/meetings/${b.meetingId}`),
      api(
        'PATCH /api/meetings/:id',
        () => `/api/meetings/${b.meetingId}`,
        () => ({ version: 1, title: 'Neu' }),
      ),
      api('GET /api/decisions', () => `/api/decisions?frameworkId=${b.id}`),
      api(
        'POST /api/decisions',
        () => '/api/decisions',
        () => ({ meetingId: b.meetingId, text: 'X' }),
      ),
      api('GET /api/decisions/:id', () => `/api/decisions/${b.decisionId}`),
      api(
        'POST /api/decisions/:id/state',
        () => `/api/decisions/${b.decisionId}/state`,
        () => ({ state: 'done' }),
      ),
      api(
        'POST /api/decisions/:id/apply',
        () => `/api/decisions/${b.decisionId}/apply`,
        () => ({}),
      ),
      api('GET /api/indicators', () => `/api/indicators?frameworkId=${b.id}`),
      api('GET /api/indicators/:id', () => `/api/indicators/${b.indicatorId}`),
      api(
        'PATCH /api/indicators/:id',
        () => `/api/indicators/${b.indicatorId}`,
        () => ({ version: 1 }),
      ),
      api(
        'POST /api/indicators/:id/values',
        () => `/api/indicators/${b.indicatorId}/values`,
        () => ({
          year: 2020,
          value: 1,
        }),
      ),
      api(
        'PATCH /api/indicators/:id/values/:valueId',
        () => `/api/indicators/${b.indicatorId}/values/1`,
        () => ({ value: 2 }),
      ),
      api('GET /api/framework/revisions/:id', () => `/api/framework/revisions/${b.revisionId}`),
      api('GET /api/goals', () => `/api/goals?frameworkId=${b.id}`),
      api('GET /api/dashboard', () => `/api/dashboard?frameworkId=${b.id}`),
      page('GET /massnahmen/:id', () => `/massnahmen/${b.measureId}`),
      page('GET /massnahmen/:id/meldung', () => `/massnahmen/${b.measureId}/meldung`),
      page(
        'POST /massnahmen/:id/meldung',
        () => `/massnahmen/${b.measureId}/meldung`,
        () => ({
          ...newReport(),
          progress: '40',
        }),
      ),
      page(
        'POST /massnahmen/neu',
        () => '/massnahmen/neu',
        () => ({ actionFieldId: String(b.fieldId) }),
      ),
      page('GET /massnahmen/:id/bearbeiten', () => `/massnahmen/${b.measureId}/bearbeiten`),
      page('POST /massnahmen/:id/bearbeiten', () => `/massnahmen/${b.measureId}/bearbeiten`),
      page('POST /massnahmen/:id/lebenszyklus', () => `/massnahmen/${b.measureId}/lebenszyklus`),
      page(
        'POST /pruefung/:id',
        () => `/pruefung/${b.reportId}`,
        () => ({ decision: 'accept' }),
      ),
      page('GET /berichtszyklen/:id/bearbeiten', () => `/berichtszyklen/${b.cycleId}/bearbeiten`),
      page('POST /berichtszyklen/:id/bearbeiten', () => `/berichtszyklen/${b.cycleId}/bearbeiten`),
      page('GET /berichtszyklen/:id/uebergang', () => `/berichtszyklen/${b.cycleId}/uebergang`),
      page('POST /berichtszyklen/:id/uebergang', () => `/berichtszyklen/${b.cycleId}/uebergang`),
      page('POST /berichtszyklen/:id/bericht', () => `/berichtszyklen/${b.cycleId}/bericht`),
      page('GET /dateien/berichte/:id', () => `/dateien/berichte/${b.implementationReportId}`),
      page(
        'GET /dateien/vorlage/:cycleId/:departmentId',
        () => `/dateien/vorlage/${b.cycleId}/${ids.departments.ASJI}`,
      ),
      page(
        'POST /gremien/sitzungen',
        () => '/gremien/sitzungen',
        () => ({ bodyId: String(b.bodyId) }),
      ),
      page(
        'POST /gremien/beschluesse',
        () => '/gremien/beschluesse',
        () => ({ meetingId: String(b.meetingId) }),
      ),
      page('POST /gremien/beschluesse/:id/stand', () => `/gremien/beschluesse/${b.decisionId}/stand`),
      page('GET /gremien/beschluesse/:id/anwenden', () => `/gremien/beschluesse/${b.decisionId}/anwenden`),
      page('POST /gremien/beschluesse/:id/vorschau', () => `/gremien/beschluesse/${b.decisionId}/vorschau`),
      page('POST /gremien/beschluesse/:id/anwenden', () => `/gremien/beschluesse/${b.decisionId}/anwenden`),
      page('GET /indikatoren/:id', () => `/indikatoren/${b.indicatorId}`),
      page('POST /indikatoren/:id/werte', () => `/indikatoren/${b.indicatorId}/werte`),
    ];

    let editor: string;

    async function send(planCase: PlanCase, token: string): Promise<{ status: number }> {
      const method = planCase.route.split(' ')[0].toLowerCase() as 'get' | 'post' | 'patch';
      let req = t.http[method](planCase.path());
      if (planCase.web) {
        req = req.set('Cookie', `${SESSION_COOKIE}=${token}`);
        if (planCase.body) {
          const csrf = csrfToken(t.app.get(AuthService).csrfSecret, token);
          return req.type('form').send({ ...planCase.body(), _csrf: csrf });
        }
        // With two plans a page without the plan in its address is sent to the address of the record's plan.
        const res = await req;
        if (res.status !== 303) return res;
        const location = String(res.headers.location);
        expect(location).toBe(`/plaene/zweiter-plan${planCase.path()}`);
        return t.http.get(location).set('Cookie', `${SESSION_COOKIE}=${token}`);
      }
      req = req.auth(token, { type: 'bearer' });
      return planCase.body ? req.send(planCase.body()) : req;
    }

    beforeAll(async () => {
      const manager = t.dataSource.manager;
      const plan = await addPlan(manager, {
        code: 'zweiter-plan',
        name: 'Zweiter Plan',
        region: 'Regiopolregion',
        targetGroups: ['Frauen'],
      });
      const goal = await manager.save(
        manager.create(Goal, { frameworkId: plan.id, code: '2.1', title: 'Teilhabe', description: '' }),
      );
      const field = await manager.save(
        manager.create(ActionField, { frameworkId: plan.id, code: '3.1', title: 'Sprache', description: '' }),
      );
      const body = await manager.save(
        manager.create(GovernanceBody, {
          frameworkId: plan.id,
          code: 'lenkungskreis',
          name: 'Lenkungskreis',
          description: '',
          minMeetingsPerYear: 1,
          maxMeetingsPerYear: null,
          members: [],
        }),
      );
      const indicator = await manager.save(
        manager.create(Indicator, {
          frameworkId: plan.id,
          code: 'R1',
          name: 'Regionaler Indikator',
          actionFieldId: field.id,
          groups: [],
        }),
      );
      const revision = await manager.save(
        manager.create(FrameworkRevision, {
          frameworkId: plan.id,
          effectiveDate: '2025-06-01',
          reason: 'Erste Fassung',
          authorId: null,
          authorName: 'System',
          versionBefore: '1',
          versionAfter: '1',
          source: 'api',
          changes: [],
          effects: { lines: [], measures: [], accounts: [], bodies: [] },
        }),
      );
      const asAdmin = <T>(res: { body: unknown }): T => res.body as T;
      const measure = asAdmin<{ id: number }>(
        await t.http
          .post('/api/measures')
          .auth(admin(), { type: 'bearer' })
          .send(
            newMeasure(
              {
                goals: { '2.1': goal.id, '2.2': goal.id },
                fields: { '3.1': field.id },
                departments: ids.departments,
              },
              { goalIds: [goal.id], participatingDepartmentIds: [], targetGroups: ['Frauen'] },
            ),
          )
          .expect(201),
      );
      // Plan B collects reports of this year in its own cycle (a report is judged by its measure's plan).
      const year = new Date().getFullYear();
      const current = asAdmin<{ id: number; version: number }>(
        await t.http
          .post('/api/reporting-cycles')
          .auth(admin(), { type: 'bearer' })
          .send({
            frameworkId: plan.id,
            code: `laufend-${year}`,
            name: `Bericht ${year}`,
            periodStart: `${year}-01-01`,
            periodEnd: `${year + 1}-12-31`,
            inputDeadline: `${year + 2}-01-31`,
          })
          .expect(201),
      );
      await t.http
        .post(`/api/reporting-cycles/${current.id}/transition`)
        .auth(admin(), { type: 'bearer' })
        .send({ to: 'collecting', version: current.version })
        .expect(200);
      const report = asAdmin<{ id: number }>(
        await t.http
          .post(`/api/measures/${measure.id}/status-reports`)
          .auth(admin(), { type: 'bearer' })
          .send(newReport())
          .expect(201),
      );
      const cycle = asAdmin<{ id: number; version: number }>(
        await t.http
          .post('/api/reporting-cycles')
          .auth(admin(), { type: 'bearer' })
          .send({ ...cycleBody(), frameworkId: plan.id })
          .expect(201),
      );
      const meeting = asAdmin<{ id: number }>(
        await t.http
          .post('/api/meetings')
          .auth(admin(), { type: 'bearer' })
          .send({ bodyId: body.id, date: '2026-02-04', title: 'Sitzung des Lenkungskreises' })
          .expect(201),
      );
      const decision = asAdmin<{ id: number }>(
        await t.http
          .post('/api/decisions')
          .auth(admin(), { type: 'bearer' })
          .send({
            meetingId: meeting.id,
            kind: 'other',
            text: 'Konzept vorlegen.',
            responsibleDepartmentId: ids.departments.ASJI,
            dueDate: '2026-12-31',
          })
          .expect(201),
      );
      const generated = await t.http
        .post(`/api/reporting-cycles/${cycle.id}/report`)
        .auth(admin(), { type: 'bearer' })
        .expect(200);
      const [stored] = await t.dataSource.query<{ id: number }[]>(
        `SELECT "id" FROM "implementation_reports" WHERE "frameworkId" = ${plan.id}`,
      );
      expect(generated.status).toBe(200);
      b = {
        id: plan.id,
        fieldId: field.id,
        measureId: measure.id,
        reportId: report.id,
        cycleId: cycle.id,
        bodyId: body.id,
        meetingId: meeting.id,
        decisionId: decision.id,
        indicatorId: indicator.id,
        revisionId: revision.id,
        implementationReportId: Number(stored.id),
      };
      editor = await t.login('soziales@demo.local');
    });

    it('the cases cover every route that works on one plan-bound record', () => {
      const covered = new Set(PLAN_B_CASES.map((c) => c.route));
      const missing = applicationRoutes()
        .filter((r) => r.planOf !== undefined)
        .map((r) => r.route)
        .filter((r) => !covered.has(r));
      expect(missing).toEqual([]);
    });

    it.each(PLAN_B_CASES.map((c) => [c.route, c] as const))(
      'an editor of plan A only: %s on plan B is refused, and nothing changes',
      async (_route, planCase) => {
        const before = await databaseFingerprint(t.dataSource);
        const res = await send(planCase, editor);
        // 403 where the plan is decided by the record, 404 where a record is not found there.
        const outcome = [403, 404].includes(res.status) ? 'refused' : res.status;
        expect({ route: planCase.route, outcome }).toEqual({ route: planCase.route, outcome: 'refused' });
        expect(await databaseFingerprint(t.dataSource)).toBe(before);
      },
    );

    it('with a viewer membership in plan B, the same account reads plan B and still writes nothing there', async () => {
      const account = (
        await t.http.get('/api/users?pageSize=100').auth(admin(), { type: 'bearer' }).expect(200)
      ).body.items.find((u: { email: string }) => u.email === 'soziales@demo.local') as {
        id: number;
        version: number;
        memberships: { frameworkId: number; role: string; departmentId: number | null }[];
      };
      expect(account.memberships).toEqual([
        { frameworkId: expect.any(Number), role: 'editor', departmentId: ids.departments.ASJI },
      ]);
      const updated = await t.http
        .patch(`/api/users/${account.id}`)
        .auth(admin(), { type: 'bearer' })
        .send({
          version: account.version,
          memberships: [...account.memberships, { frameworkId: b.id, role: 'viewer' }],
        })
        .expect(200);
      expect(updated.body.memberships).toHaveLength(2);
      // A change of rights ends the account's sessions: sign in anew.
      const token = (
        await t.http
          .post('/api/auth/login')
          .send({ email: 'soziales@demo.local', password: 'demo1234' })
          .expect(200)
      ).body.accessToken as string;
      const byRoute = new Map(CASES.map((c) => [c.route, c]));
      // Plan B's cycle is open: it has no snapshot yet, for any reader (not a refusal).
      const NOT_THERE: Record<string, number> = { 'GET /api/reporting-cycles/:id/snapshot': 404 };
      const outcomes: { route: string; status: number }[] = [];
      const expected: { route: string; status: number }[] = [];
      for (const planCase of PLAN_B_CASES) {
        const read = planCase.route.startsWith('GET ');
        const before = await databaseFingerprint(t.dataSource);
        const res = await send(planCase, token);
        outcomes.push({ route: planCase.route, status: res.status });
        // A viewer of plan B reads there what a viewer reads in plan A (the matrix above), and writes nothing.
        expected.push({
          route: planCase.route,
          status: read ? (NOT_THERE[planCase.route] ?? byRoute.get(planCase.route)!.expect.viewer) : 403,
        });
        if (!read)
          expect({ route: planCase.route, fingerprint: await databaseFingerprint(t.dataSource) }).toEqual({
            route: planCase.route,
            fingerprint: before,
          });
      }
      expect(outcomes).toEqual(expected);
    });
  });
});
