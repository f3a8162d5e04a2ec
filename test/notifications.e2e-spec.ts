/**
 * Reminders by e-mail against a real SMTP server started here: the mails arrive with the right recipients,
 * German subjects and links to the exact page; the log keeps a second run from sending again; a refused send
 * is retried and shown to admins; two instances on one database send each mail once; without SMTP_URL
 * nothing is sent and the admin page says so.
 */
import { AuthService } from '../src/auth/auth.service.js';
import { csrfToken, SESSION_COOKIE } from '../src/common/auth/session.js';
import { todayInBremen } from '../src/common/dates.js';
import { StatusReport } from '../src/measures/status-report.entity.js';
import { NotificationsService } from '../src/notifications/notifications.service.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { type MailServer, startMailServer } from './helpers/mail-server.js';

const BASE = 'https://monitor.example.test';
const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const german = (day: string): string => day.split('-').reverse().join('.');

describe('reminders by e-mail', () => {
  let smtp: MailServer;
  let t: TestApp;
  let admin: string;
  let ids: Ids;
  const today = todayInBremen();

  beforeAll(async () => {
    smtp = await startMailServer();
    t = await createTestApp({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Rahmenkonzept-Monitor <monitor@example.test>',
      APP_BASE_URL: BASE,
      NOTIFY_INTERVAL_MINUTES: '0',
    });
    admin = await t.login('admin@demo.local');
    ids = await frameworkIds(t, admin);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const run = async (token = admin) =>
    (await t.http.post('/api/notifications/run').auth(token, { type: 'bearer' }).send({}).expect(200))
      .body as { planned: { recipient: string; subject: string }[]; sent: number; failed: number };

  /** A measure of the editor's department with a report by that editor, reviewed by the admin. */
  async function reviewedReport(
    editorEmail: string,
    department: string,
    decision: 'accept' | 'return',
    comment: string,
  ): Promise<{ measureId: number; reportId: number }> {
    const editor = await t.login(editorEmail);
    const measure = (
      await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(
          newMeasure(ids, { leadDepartmentId: ids.departments[department], participatingDepartmentIds: [] }),
        )
        .expect(201)
    ).body as { id: number };
    const report = (
      await t.http
        .post(`/api/measures/${measure.id}/status-reports`)
        .auth(editor, { type: 'bearer' })
        .send(newReport({ reportedAt: today }))
        .expect(201)
    ).body as { id: number };
    await t.http
      .post(`/api/status-reports/${report.id}/review`)
      .auth(admin, { type: 'bearer' })
      .send(comment ? { decision, comment } : { decision })
      .expect(200);
    return { measureId: measure.id, reportId: report.id };
  }

  it('sends the cycle reminders and the weekly digest in German with links, and only once', async () => {
    // The collecting cycle's deadline in ten days: "opened" and "deadline in 10 days" are both due now; the
    // editors get one mail, "opened", which names the deadline.
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' }).expect(200))
      .body as { id: number; state: string; version: number; name: string }[];
    const cycle = cycles.find((c) => c.state === 'collecting')!;
    const deadline = addDays(today, 10);
    await t.http
      .patch(`/api/reporting-cycles/${cycle.id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: cycle.version, inputDeadline: deadline })
      .expect(200);
    // A second admin switches the weekly mails off (audited); the first keeps them.
    await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({
        email: 'zweite@example.org',
        displayName: 'Zweite Leitung',
        role: 'admin',
        password: 'Leitung-Passwort-1',
      })
      .expect(201);
    const second = await t.login('zweite@example.org', 'Leitung-Passwort-1');
    await t.http
      .patch('/api/account/notifications')
      .auth(second, { type: 'bearer' })
      .send({ digestEmails: false })
      .expect(200, { digestEmails: false, mailConfigured: true });
    const audit = (await t.http.get('/api/audit?entity=User').auth(admin, { type: 'bearer' }).expect(200))
      .body as { items: { userEmail: string; changes: Record<string, unknown> }[] };
    expect(
      audit.items.find((e) => e.userEmail === 'zweite@example.org' && 'digestEmails' in e.changes),
    ).toBeDefined();

    const result = await run();
    expect(result.failed).toBe(0);
    expect(result.sent).toBe(result.planned.length);

    const soziales = smtp.to('soziales@demo.local');
    const opened = soziales.find((m) => /Erfassung geöffnet/.test(m.subject));
    expect(opened?.subject).toBe(
      `Berichtszyklus ${cycle.name}: Erfassung geöffnet, Frist ${german(deadline)}`,
    );
    expect(opened?.from).toBe('monitor@example.test');
    expect(opened?.body).toContain(`${BASE}/meldungen`);
    expect(opened?.body).toContain('Guten Tag');
    expect(opened?.to).toEqual(['soziales@demo.local']);
    expect(soziales.filter((m) => m.subject.includes(cycle.name))).toHaveLength(1);
    // The reminder it stands for is kept in the log as "entfallen", so that no later run sends it either.
    const log = (
      await t.http.get('/api/notifications?pageSize=200').auth(admin, { type: 'bearer' }).expect(200)
    ).body as { items: { recipient: string; eventKey: string; state: string }[] };
    expect(
      log.items.find(
        (n) => n.recipient === 'soziales@demo.local' && n.eventKey === `cycle:${cycle.id}:before`,
      ),
    ).toMatchObject({ state: 'skipped' });
    const tomorrow = await t.app
      .get(NotificationsService)
      .run({ dryRun: true, now: new Date(Date.now() + 86_400_000) });
    expect(tomorrow.planned.filter((m) => m.subject.includes(cycle.name))).toEqual([]);
    // The other department's editor hears of the same cycle; the viewer hears nothing.
    expect(smtp.to('bildung@demo.local').some((m) => /Erfassung geöffnet/.test(m.subject))).toBe(true);
    expect(smtp.to('steuerung@demo.local')).toEqual([]);
    // The digest goes to the admin who kept it, not to the one who switched it off.
    const digest = smtp.to('admin@demo.local').find((m) => /^Wochenübersicht/.test(m.subject));
    expect(digest?.body).toContain(`${BASE}/pruefung`);
    expect(digest?.body).toMatch(/Meldungen, die auf Prüfung warten/);
    expect(digest?.body).toMatch(/Vollständigkeit/);
    expect(smtp.to('zweite@example.org')).toEqual([]);

    // A second run finds everything in the log and sends nothing.
    const count = smtp.mails.length;
    const again = await run();
    expect(again.planned).toEqual([]);
    expect(again.sent).toBe(0);
    expect(smtp.mails.length).toBe(count);
  });

  it('on the deadline day sends "heute endet", except to an editor whose "opened" goes out now', async () => {
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' }).expect(200))
      .body as { id: number; state: string; version: number; name: string }[];
    const cycle = cycles.find((c) => c.state === 'collecting')!;
    await t.http
      .patch(`/api/reporting-cycles/${cycle.id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: cycle.version, inputDeadline: today })
      .expect(200);
    // A new editor of the department: the cycle opens for them on its deadline day.
    await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({
        email: 'neu-soziales@example.org',
        displayName: 'Neu im Ressort',
        role: 'editor',
        departmentId: ids.departments.ASJI,
        password: 'Ressort-Passwort-1',
      })
      .expect(201);
    await run();
    const newcomer = smtp.to('neu-soziales@example.org').filter((m) => m.subject.includes(cycle.name));
    expect(newcomer.map((m) => m.subject)).toEqual([
      `Berichtszyklus ${cycle.name}: Erfassung geöffnet, Frist heute (${german(today)})`,
    ]);
    expect(newcomer[0].body).toContain(`bis heute, den ${german(today)}`);
    // The editor who heard of the opening before gets the deadline day's reminder.
    expect(
      smtp.to('soziales@demo.local').filter((m) => m.subject === `Heute endet die Meldefrist ${cycle.name}`),
    ).toHaveLength(1);
  });

  it('tells the author when a report is returned, with the comment, and when one is accepted', async () => {
    const returned = await reviewedReport(
      'soziales@demo.local',
      'ASJI',
      'return',
      'Bitte die Zahl der Teilnehmenden ergänzen.',
    );
    const accepted = await reviewedReport('soziales@demo.local', 'ASJI', 'accept', '');
    await run();
    const mails = smtp.to('soziales@demo.local');
    const back = mails.find((m) => /^Meldung zurückgegeben/.test(m.subject));
    expect(back?.body).toContain('Bitte die Zahl der Teilnehmenden ergänzen.');
    expect(back?.body).toContain(`${BASE}/massnahmen/${returned.measureId}/meldung`);
    const ok = mails.find((m) => /^Meldung angenommen/.test(m.subject));
    expect(ok?.body).toContain(`${BASE}/massnahmen/${accepted.measureId}`);
  });

  it('tells the author of a recently reviewed report even behind a thousand newer reviewed ones', async () => {
    const editor = await t.login('soziales@demo.local');
    const measure = (
      await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(ids, { leadDepartmentId: ids.departments.ASJI, participatingDepartmentIds: [] }))
        .expect(201)
    ).body as { id: number };
    const other = (
      await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(ids, { leadDepartmentId: ids.departments.ASJI, participatingDepartmentIds: [] }))
        .expect(201)
    ).body as { id: number };
    const report = (
      await t.http
        .post(`/api/measures/${measure.id}/status-reports`)
        .auth(editor, { type: 'bearer' })
        .send(newReport({ reportedAt: today }))
        .expect(201)
    ).body as { id: number };
    // A thousand reports with higher numbers, reviewed a month ago (e.g. imported history).
    const monthAgo = new Date(Date.now() - 30 * 86_400_000);
    for (let chunk = 0; chunk < 5; chunk++)
      await t.dataSource
        .createQueryBuilder()
        .insert()
        .into(StatusReport)
        .values(
          Array.from({ length: 200 }, () => ({
            measureId: other.id,
            status: 'in_progress' as const,
            progress: 50,
            summary: 'Früherer Stand',
            reportedAt: addDays(today, -40),
            authorId: null,
            reviewState: 'accepted' as const,
            reviewedAt: monthAgo,
            correctsReportId: null,
            reviewedById: null,
          })),
        )
        .callListeners(false)
        .updateEntity(false)
        .execute();
    await t.http
      .post(`/api/status-reports/${report.id}/review`)
      .auth(admin, { type: 'bearer' })
      .send({ decision: 'return', comment: 'Unter tausend anderen.' })
      .expect(200);
    await run();
    expect(
      smtp.to('soziales@demo.local').filter((m) => m.body.includes('Unter tausend anderen.')),
    ).toHaveLength(1);
  });

  it('retries a send the mail server refused, and shows the failure to admins until it goes through', async () => {
    smtp.refuse.add('bildung@demo.local');
    await reviewedReport('bildung@demo.local', 'SKB', 'return', 'Sachstand fehlt.');
    const first = await run();
    expect(first.failed).toBe(1);
    expect(smtp.to('bildung@demo.local').some((m) => /zurückgegeben/.test(m.subject))).toBe(false);

    const failed = (
      await t.http.get('/api/notifications?state=failed').auth(admin, { type: 'bearer' }).expect(200)
    ).body as {
      total: number;
      items: { recipient: string; attempts: number; lastError: string; nextAttemptAt: string }[];
    };
    expect(failed.total).toBe(1);
    expect(failed.items[0]).toMatchObject({ recipient: 'bildung@demo.local', attempts: 1 });
    expect(failed.items[0].lastError).toMatch(/550/);
    const page = await t.http
      .get('/benachrichtigungen')
      .set('Cookie', `${SESSION_COOKIE}=${admin}`)
      .expect(200);
    expect(page.text).toContain('Fehlgeschlagene Sendungen (1)');
    expect(page.text).toContain('bildung@demo.local');
    // An editor may not read the log.
    await t.http
      .get('/api/notifications')
      .auth(await t.login('bildung@demo.local'), { type: 'bearer' })
      .expect(403);

    // The retry waits for its back-off: a run right away does not try again.
    expect((await run()).failed).toBe(0);
    expect(smtp.to('bildung@demo.local').some((m) => /zurückgegeben/.test(m.subject))).toBe(false);

    // The server takes the mail again; once the back-off has passed, the retry goes through.
    smtp.refuse.delete('bildung@demo.local');
    const later = await t.app.get(NotificationsService).run({ now: new Date(Date.now() + 6 * 60_000) });
    expect(later.sent).toBe(1);
    expect(smtp.to('bildung@demo.local').filter((m) => /zurückgegeben/.test(m.subject))).toHaveLength(1);
    const log = (await t.http.get('/api/notifications').auth(admin, { type: 'bearer' }).expect(200)).body as {
      items: { recipient: string; kind: string; state: string; attempts: number }[];
    };
    expect(
      log.items.find((n) => n.recipient === 'bildung@demo.local' && n.kind === 'report_returned'),
    ).toMatchObject({
      state: 'sent',
      attempts: 2,
    });
  });

  it('two instances on one database send each mail once', async () => {
    const other = await createTestApp({
      DATABASE_PATH: t.databasePath,
      KEEP_DATABASE: '1',
      SMTP_URL: smtp.url,
      APP_BASE_URL: BASE,
      NOTIFY_INTERVAL_MINUTES: '0',
    });
    try {
      await reviewedReport('soziales@demo.local', 'ASJI', 'return', 'Zweimal gestartet, einmal versandt.');
      const before = smtp.mails.length;
      const instances = [t.app.get(NotificationsService), other.app.get(NotificationsService)];
      // Both start the job at the same time, three times over.
      for (let round = 0; round < 3; round++) await Promise.all(instances.map((n) => n.run()));
      const fresh = smtp.mails.slice(before);
      expect(fresh.filter((m) => m.body.includes('Zweimal gestartet, einmal versandt.'))).toHaveLength(1);
      expect(fresh).toHaveLength(1);
    } finally {
      await other.app.close();
    }
  });

  it('lets every account switch the weekly mails off on its page', async () => {
    const editor = await t.login('bildung@demo.local');
    const page = await t.http
      .get('/konto/benachrichtigungen')
      .set('Cookie', `${SESSION_COOKIE}=${editor}`)
      .expect(200);
    expect(page.text).toContain('Wöchentliche E-Mails');
    await t.http
      .post('/konto/benachrichtigungen')
      .set('Cookie', `${SESSION_COOKIE}=${editor}`)
      .type('form')
      .send({ _csrf: csrfToken(t.app.get(AuthService).csrfSecret, editor), digestEmails: 'nein' })
      .expect(303);
    const settings = await t.http
      .get('/api/account/notifications')
      .auth(editor, { type: 'bearer' })
      .expect(200);
    expect(settings.body).toEqual({ digestEmails: false, mailConfigured: true });
  });

  it('reminds weekly while a deadline is overdue (not those who switched weekly mails off) and when a decision falls due', async () => {
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' }).expect(200))
      .body as { id: number; state: string; version: number; name: string }[];
    const cycle = cycles.find((c) => c.state === 'collecting')!;
    const deadline = addDays(today, -8);
    await t.http
      .patch(`/api/reporting-cycles/${cycle.id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: cycle.version, inputDeadline: deadline })
      .expect(200);
    const bodies = (await t.http.get('/api/governance/bodies').auth(admin, { type: 'bearer' })).body as {
      id: number;
      code: string;
    }[];
    const meeting = (
      await t.http
        .post('/api/meetings')
        .auth(admin, { type: 'bearer' })
        .send({ bodyId: bodies[0].id, date: addDays(today, -30), title: 'Sitzung mit Auftrag' })
        .expect(201)
    ).body as { id: number };
    await t.http
      .post('/api/decisions')
      .auth(admin, { type: 'bearer' })
      .send({
        meetingId: meeting.id,
        kind: 'other',
        text: 'Konzept zur Sprachförderung vorlegen.',
        responsibleDepartmentId: ids.departments.ASJI,
        dueDate: today,
      })
      .expect(201);
    await run();
    const overdue = smtp.to('soziales@demo.local').find((m) => /überschritten/.test(m.subject));
    expect(overdue?.subject).toBe(`Meldefrist ${cycle.name} überschritten (seit ${german(deadline)})`);
    expect(overdue?.body).toContain('(8 Tage)');
    // bildung@ switched the weekly mails off above: the second week's reminder is one of them.
    expect(smtp.to('bildung@demo.local').some((m) => /überschritten/.test(m.subject))).toBe(false);
    const due = smtp.to('soziales@demo.local').find((m) => /^Beschluss fällig/.test(m.subject));
    expect(due?.subject).toBe(`Beschluss fällig am ${german(today)}: Konzept zur Sprachförderung vorlegen.`);
    expect(due?.body).toContain(`${BASE}/gremien`);
    expect(smtp.to('bildung@demo.local').some((m) => /^Beschluss fällig/.test(m.subject))).toBe(false);
  });
});

describe('reminders without a mail server', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('sends nothing, refuses a run, lists a dry run, and tells admins on the page', async () => {
    const admin = await t.login('admin@demo.local');
    const refused = await t.http
      .post('/api/notifications/run')
      .auth(admin, { type: 'bearer' })
      .send({})
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'NOTIFICATION.NOT_CONFIGURED' });
    const dry = await t.http
      .post('/api/notifications/run')
      .auth(admin, { type: 'bearer' })
      .send({ dryRun: true })
      .expect(200);
    expect(dry.body).toMatchObject({ configured: false, dryRun: true, sent: 0 });
    expect((dry.body as { planned: unknown[] }).planned.length).toBeGreaterThan(0);
    const log = await t.http.get('/api/notifications').auth(admin, { type: 'bearer' }).expect(200);
    expect(log.body).toMatchObject({ total: 0 });
    const page = await t.http
      .get('/benachrichtigungen')
      .set('Cookie', `${SESSION_COOKIE}=${admin}`)
      .expect(200);
    expect(page.text).toContain('E-Mail-Versand ist nicht eingerichtet');
  });
});
