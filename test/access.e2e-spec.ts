/**
 * Access control: every route declares its access; a role × route matrix (anonymous, viewer, editor of the
 * lead department, editor of another department, admin) gets 401/403/2xx, and every refused request leaves
 * the database as it was.
 */
import { RequestMethod } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ACCESS_KEY } from '../src/common/auth/access.decorator.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';

type Role = 'anonymous' | 'viewer' | 'editorLead' | 'editorOther' | 'admin';
const ROLES: Role[] = ['anonymous', 'viewer', 'editorLead', 'editorOther', 'admin'];

interface Context {
  measureId: number;
  measureVersion: number;
  reportId: number;
  userId: number;
  userVersion: number;
}

interface RouteCase {
  method: 'get' | 'post' | 'patch';
  route: string;
  path: (c: Context) => string;
  body?: (c: Context) => object;
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

  /** Fresh records for each request: a measure led by ASJI (the lead editor's department) with a submitted report. */
  async function freshContext(): Promise<Context> {
    const admin = tokens.admin!;
    const measure = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send(newMeasure(ids))
      .expect(201);
    const report = await t.http
      .post(`/api/measures/${measure.body.id}/status-reports`)
      .auth(tokens.editorLead!, { type: 'bearer' })
      .send(newReport())
      .expect(201);
    const user = await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({
        email: `konto-${measure.body.id}@example.org`,
        displayName: 'Testkonto',
        role: 'viewer',
        password: 'Ein-gutes-Passwort-1',
      })
      .expect(201);
    return {
      measureId: measure.body.id,
      measureVersion: measure.body.version,
      reportId: report.body.id,
      userId: user.body.id,
      userVersion: user.body.version,
    };
  }

  const CASES: RouteCase[] = [
    {
      method: 'get',
      route: 'GET /api/health',
      path: () => '/api/health',
      expect: { anonymous: 200, viewer: 200, editorLead: 200, editorOther: 200, admin: 200 },
    },
    { method: 'get', route: 'GET /api/auth/me', path: () => '/api/auth/me', expect: READ },
    { method: 'get', route: 'GET /api/framework', path: () => '/api/framework', expect: READ },
    { method: 'get', route: 'GET /api/goals', path: () => '/api/goals', expect: READ },
    { method: 'get', route: 'GET /api/action-fields', path: () => '/api/action-fields', expect: READ },
    { method: 'get', route: 'GET /api/departments', path: () => '/api/departments', expect: READ },
    {
      method: 'get',
      route: 'GET /api/departments/:id',
      path: () => `/api/departments/${ids.departments.ASJI}`,
      expect: READ,
    },
    { method: 'get', route: 'GET /api/measures', path: () => '/api/measures', expect: READ },
    {
      method: 'post',
      route: 'POST /api/measures',
      path: () => '/api/measures',
      body: () => newMeasure(ids),
      expect: ADMIN_ONLY(201),
    },
    {
      method: 'get',
      route: 'GET /api/measures/:id',
      path: (c) => `/api/measures/${c.measureId}`,
      expect: READ,
    },
    {
      method: 'patch',
      route: 'PATCH /api/measures/:id',
      path: (c) => `/api/measures/${c.measureId}`,
      body: (c) => ({ version: c.measureVersion, description: 'Neue Beschreibung des Ressorts.' }),
      expect: LEAD_WRITE(200),
    },
    {
      method: 'post',
      route: 'POST /api/measures/:id/lifecycle',
      path: (c) => `/api/measures/${c.measureId}/lifecycle`,
      body: (c) => ({
        version: c.measureVersion,
        lifecycle: 'discontinued',
        reason: 'Beschluss vom 1. März',
      }),
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'get',
      route: 'GET /api/measures/:id/status-reports',
      path: (c) => `/api/measures/${c.measureId}/status-reports`,
      expect: READ,
    },
    {
      method: 'post',
      route: 'POST /api/measures/:id/status-reports',
      path: (c) => `/api/measures/${c.measureId}/status-reports`,
      body: () => newReport(),
      expect: LEAD_WRITE(201),
    },
    { method: 'get', route: 'GET /api/status-reports', path: () => '/api/status-reports', expect: READ },
    {
      method: 'get',
      route: 'GET /api/status-reports/:id',
      path: (c) => `/api/status-reports/${c.reportId}`,
      expect: READ,
    },
    {
      method: 'post',
      route: 'POST /api/status-reports/:id/review',
      path: (c) => `/api/status-reports/${c.reportId}/review`,
      body: () => ({ decision: 'accept' }),
      expect: ADMIN_ONLY(200),
    },
    { method: 'get', route: 'GET /api/audit', path: () => '/api/audit', expect: ADMIN_ONLY(200) },
    { method: 'get', route: 'GET /api/users', path: () => '/api/users', expect: ADMIN_ONLY(200) },
    {
      method: 'post',
      route: 'POST /api/users',
      path: () => '/api/users',
      body: (c) => ({
        email: `neu-${c.userId}@example.org`,
        displayName: 'Neu',
        role: 'viewer',
        password: 'Ein-gutes-Passwort-2',
      }),
      expect: ADMIN_ONLY(201),
    },
    {
      method: 'get',
      route: 'GET /api/users/:id',
      path: (c) => `/api/users/${c.userId}`,
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'patch',
      route: 'PATCH /api/users/:id',
      path: (c) => `/api/users/${c.userId}`,
      body: (c) => ({ version: c.userVersion, displayName: 'Umbenannt' }),
      expect: ADMIN_ONLY(200),
    },
    {
      method: 'post',
      route: 'POST /api/users/:id/password',
      path: (c) => `/api/users/${c.userId}/password`,
      body: () => ({ password: 'Noch-ein-Passwort-3' }),
      expect: ADMIN_ONLY(200),
    },
  ];
  /** Routes with their own tests below (they end sessions or are the door itself). */
  const TESTED_ELSEWHERE = ['POST /api/auth/login', 'POST /api/auth/logout'];

  function applicationRoutes(): { route: string; access: unknown }[] {
    const scanner = new MetadataScanner();
    const routes: { route: string; access: unknown }[] = [];
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
        const full = ['/api', prefix, path]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/');
        routes.push({
          route: `${method} /${full}`,
          access:
            Reflect.getMetadata(ACCESS_KEY, handler) ?? Reflect.getMetadata(ACCESS_KEY, wrapper.metatype),
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
      const context = await freshContext();
      const before = await databaseFingerprint(t.dataSource);
      let req = t.http[routeCase.method](routeCase.path(context));
      const token = tokens[role as Exclude<Role, 'anonymous'>];
      if (token) req = req.auth(token, { type: 'bearer' });
      const res = routeCase.body ? await req.send(routeCase.body(context)) : await req;
      expect({ role, status: res.status }).toEqual({ role, status: routeCase.expect[role] });
      if (res.status === 401 || res.status === 403) {
        expect(res.body.message).toEqual(expect.any(String));
        expect(await databaseFingerprint(t.dataSource)).toBe(before);
      }
    });
  });

  it('an editor may not change structural fields of its own measures, and nothing changes', async () => {
    const context = await freshContext();
    const before = await databaseFingerprint(t.dataSource);
    const res = await t.http
      .patch(`/api/measures/${context.measureId}`)
      .auth(tokens.editorLead!, { type: 'bearer' })
      .send({ version: context.measureVersion, leadDepartmentId: ids.departments.SKB, code: '3.1-99' })
      .expect(403);
    expect(res.body.message).toMatch(/Koordinierungsstelle.*leadDepartmentId/);
    expect(res.body.message).toMatch(/code/);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  });
});
