/**
 * Every export of data leaves an entry in the audit trail: who, what, which cycle and department, when. A
 * refused or failed download leaves none.
 */
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { EXPORT_AUDIT_KEY } from '../src/audit/audit-export.decorator.js';
import { ACCESS_KEY, type AccessDeclaration } from '../src/common/auth/access.decorator.js';
import { SESSION_COOKIE } from '../src/common/auth/session.js';
import { frameworkIds, type Ids } from './factories/measure.factory.js';
import { createTestApp, TMP_DIR, type TestApp } from './helpers/test-app.js';
import { binaryParser } from './helpers/workbooks.js';

interface Entry {
  id: number;
  userId: number | null;
  userEmail: string;
  action: string;
  entity: string;
  entityId: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  note: string;
  createdAt: string;
}

describe('audited exports', () => {
  let t: TestApp;
  let admin: string;
  let soziales: string;
  let viewer: string;
  let ids: Ids;
  let users: Record<string, number>;
  let cycle: { id: number; code: string };
  let reportId: number;

  beforeAll(async () => {
    t = await createTestApp({ REPORTS_DIR: `${TMP_DIR}/reports-export-audit-${Date.now()}` });
    admin = await t.login('admin@demo.local');
    soziales = await t.login('soziales@demo.local');
    viewer = await t.login('steuerung@demo.local');
    ids = await frameworkIds(t, admin);
    const accounts = (await t.http.get('/api/users?pageSize=200').auth(admin, { type: 'bearer' })).body as {
      items: { id: number; email: string }[];
    };
    users = Object.fromEntries(accounts.items.map((u) => [u.email, u.id]));
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' })).body as {
      id: number;
      code: string;
      state: string;
    }[];
    cycle = cycles.find((c) => c.state === 'collecting')!;
    await t.http
      .post(`/api/reporting-cycles/${cycle.id}/report`)
      .auth(admin, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const reports = (await t.http.get(`/api/reports?cycleId=${cycle.id}`).auth(admin, { type: 'bearer' }))
      .body as { id: number }[];
    reportId = reports[0].id;
  });
  afterAll(async () => {
    await t.close();
  });

  async function exports(): Promise<Entry[]> {
    const res = await t.http
      .get('/api/audit?action=export&pageSize=200')
      .auth(admin, { type: 'bearer' })
      .expect(200);
    return (res.body as { items: Entry[] }).items;
  }

  /** Runs a download and returns the export entries it added. */
  async function added(download: () => Promise<{ status: number }>, status = 200): Promise<Entry[]> {
    const before = new Set((await exports()).map((e) => e.id));
    const res = await download();
    expect(res.status).toBe(status);
    return (await exports()).filter((e) => !before.has(e.id));
  }

  const api = (path: string, token: string) =>
    t.http.get(path).auth(token, { type: 'bearer' }).buffer(true).parse(binaryParser);
  const page = (path: string, token: string) =>
    t.http.get(path).set('Cookie', `${SESSION_COOKIE}=${token}`).buffer(true).parse(binaryParser);

  it('records a report download through the API with user, report and cycle', async () => {
    const entries = await added(() => api(`/api/reports/${reportId}/download`, viewer));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      userId: users['steuerung@demo.local'],
      userEmail: 'steuerung@demo.local',
      action: 'export',
      entity: 'ImplementationReport',
      entityId: String(reportId),
    });
    expect(entries[0].changes.cycleId.to).toBe(cycle.id);
    expect(entries[0].note).toMatch(/Umsetzungsbericht/);
    expect(entries[0].note).toContain(cycle.code);
  });

  it('records a report download from the page', async () => {
    const entries = await added(() => page(`/dateien/berichte/${reportId}`, viewer));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      userId: users['steuerung@demo.local'],
      entity: 'ImplementationReport',
      entityId: String(reportId),
    });
    expect(entries[0].changes.cycleId.to).toBe(cycle.id);
  });

  it('records a template download through the API and from the page, with cycle and department', async () => {
    for (const download of [
      () => api(`/api/reporting-cycles/${cycle.id}/templates/${ids.departments.ASJI}`, soziales),
      () => page(`/dateien/vorlage/${cycle.id}/${ids.departments.ASJI}`, soziales),
    ]) {
      const entries = await added(download);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        userId: users['soziales@demo.local'],
        action: 'export',
        entity: 'InputTemplate',
        entityId: `${cycle.id}/${ids.departments.ASJI}`,
      });
      expect(entries[0].changes.cycleId.to).toBe(cycle.id);
      expect(entries[0].changes.departmentId.to).toBe(ids.departments.ASJI);
      expect(entries[0].note).toMatch(/Erfassungsvorlage/);
    }
  });

  it('records the Maßnahmenplan export', async () => {
    const entries = await added(() => api('/api/measure-plan', viewer));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      userId: users['steuerung@demo.local'],
      action: 'export',
      entity: 'MeasurePlan',
    });
    expect(entries[0].note).toMatch(/Maßnahmenplan/);
  });

  it('records report generation with the user and the cycle', async () => {
    const before = (
      await t.http.get('/api/audit?entity=ImplementationReport&pageSize=200').auth(admin, { type: 'bearer' })
    ).body.total as number;
    await t.http
      .post(`/api/reporting-cycles/${cycle.id}/report`)
      .auth(admin, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const after = (
      await t.http.get('/api/audit?entity=ImplementationReport&pageSize=200').auth(admin, { type: 'bearer' })
    ).body as { total: number; items: Entry[] };
    expect(after.total).toBe(before + 1);
    expect(after.items[0]).toMatchObject({ userId: users['admin@demo.local'], action: 'report' });
    expect(after.items[0].changes.cycleId.to).toBe(cycle.id);
  });

  it('leaves no entry for a refused or failed download', async () => {
    // Another department's template: refused.
    expect(
      await added(
        () => api(`/api/reporting-cycles/${cycle.id}/templates/${ids.departments.SKB}`, soziales),
        403,
      ),
    ).toEqual([]);
    expect(
      await added(() => page(`/dateien/vorlage/${cycle.id}/${ids.departments.SKB}`, soziales), 403),
    ).toEqual([]);
    // A report that does not exist.
    expect(await added(() => api('/api/reports/99999/download', viewer), 404)).toEqual([]);
    expect(await added(() => page('/dateien/berichte/99999', viewer), 404)).toEqual([]);
    // Not signed in.
    expect(await added(() => t.http.get('/api/measure-plan'), 401)).toEqual([]);
  });

  it('every route that hands out a file declares its export', () => {
    // Files are the routes documented as producing one (API) and the pages under /dateien. Generating a report
    // is recorded as the report's creation (action "report"), so that route needs no export entry of its own.
    // Public routes hand out what was published to everyone (open data): there is no one to record.
    const scanner = new MetadataScanner();
    const undeclared: string[] = [];
    const publicFiles: string[] = [];
    let files = 0;
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const instance = wrapper.instance as object | undefined;
        if (!instance || !wrapper.metatype) continue;
        const prefix = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '');
        const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
        for (const name of scanner.getAllMethodNames(prototype)) {
          const handler = prototype[name] as object;
          const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
          if (path === undefined) continue;
          const route = `${prefix}/${path}`.replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
          const producesFile = Reflect.getMetadata('swagger/apiProduces', handler) !== undefined;
          if (!producesFile && !route.startsWith('dateien/')) continue;
          files += 1;
          if (route === 'api/reporting-cycles/:id/report') continue;
          const access = (Reflect.getMetadata(ACCESS_KEY, handler) ??
            Reflect.getMetadata(ACCESS_KEY, wrapper.metatype)) as AccessDeclaration | undefined;
          if (access?.public) {
            publicFiles.push(route);
            continue;
          }
          if (Reflect.getMetadata(EXPORT_AUDIT_KEY, handler) === undefined) undeclared.push(route);
        }
      }
    }
    expect(files).toBeGreaterThanOrEqual(6);
    expect(undeclared).toEqual([]);
    expect(publicFiles).toEqual(['api/public/cycles/:code/measures.csv']);
  });

  it('shows the exports on the audit page, filtered by action', async () => {
    const res = await t.http
      .get('/protokoll?action=export')
      .set('Cookie', `${SESSION_COOKIE}=${admin}`)
      .expect(200);
    expect(res.text).toMatch(/steuerung@demo\.local/);
    expect(res.text).toMatch(/soziales@demo\.local/);
    expect(res.text).toMatch(/InputTemplate/);
    expect(res.text).toMatch(/MeasurePlan/);
    expect(res.text).toMatch(/<option value="export" selected>/);
    // Only exports: the sign-ins of the suite are not listed.
    expect(res.text).not.toMatch(/<td>login<\/td>/);
  });
});
