/**
 * Two plans side by side, and everything that is reported stays within its plan: the Umsetzungsbericht of a
 * cycle lists its plan's measures, meetings, decisions, changes and revisions only; a department's
 * Erfassungsvorlage for a cycle lists that plan's measures; each plan's dashboard counts its own measures; the
 * audit trail can be read per plan (and for the installation itself); reminders and the weekly digest go out
 * per plan and name it; the workbook speaks the plan's words.
 */
import { Membership } from '../src/auth/membership.entity.js';
import { User } from '../src/auth/user.entity.js';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { todayInBremen } from '../src/common/dates.js';
import { ActionField } from '../src/framework/action-field.entity.js';
import { Framework } from '../src/framework/framework.entity.js';
import { Goal } from '../src/framework/goal.entity.js';
import { FrameworkRevision } from '../src/framework/revisions/framework-revision.entity.js';
import { GovernanceBody } from '../src/governance/governance-body.entity.js';
import { MeasureChange } from '../src/measures/measure-change.entity.js';
import { Indicator } from '../src/indicators/indicator.entity.js';
import { IndicatorValue } from '../src/indicators/indicator-value.entity.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { type MailServer, startMailServer } from './helpers/mail-server.js';
import { addPlan, OWN_WORDS } from './factories/plan.factory.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { signInByForm } from './helpers/web-sign-in.js';
import { SESSION_COOKIE } from '../src/common/auth/session.js';
import { binaryParser, headerRow, readWorkbook } from './helpers/workbooks.js';
import { docxParts, poppler, styled } from './helpers/documents.js';

const BASE = 'https://monitor.example.test';
const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface Cycle {
  id: number;
  code: string;
  name: string;
  state: string;
  version: number;
  periodStart: string;
  periodEnd: string;
  inputDeadline: string;
}

/** Every cell of a workbook as text, one string per sheet. */
function sheetTexts(workbook: ExcelJS.Workbook): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const sheet of workbook.worksheets) {
    const cells: string[] = [];
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        cells.push(cell.text);
      }),
    );
    texts[sheet.name] = cells.join('\n');
  }
  return texts;
}

const allText = (workbook: ExcelJS.Workbook): string => Object.values(sheetTexts(workbook)).join('\n');

describe('two plans: reports, templates, dashboards, audit and reminders stay within their plan', () => {
  let smtp: MailServer;
  let t: TestApp;
  let admin: string;
  let ids: Ids;
  const today = todayInBremen();
  let bremen: {
    id: number;
    name: string;
    cycle: Cycle;
    titles: string[];
    decisions: string[];
    total: number;
  };
  let region: {
    id: number;
    name: string;
    cycle: Cycle;
    measureIds: number[];
    meetingTitle: string;
    decisionText: string;
    revisionReason: string;
  };

  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).auth(token, { type: 'bearer' }),
    post: (path: string) => t.http.post(path).auth(token, { type: 'bearer' }),
  });

  /** The expected status, or the body that says why not. */
  const expectStatus = (res: { status: number; body: unknown }, status: number): void => {
    expect({ status: res.status, body: res.status === status ? 'ok' : res.body }).toEqual({
      status,
      body: 'ok',
    });
  };

  async function reportOf(cycleId: number): Promise<ExcelJS.Workbook> {
    const res = await as(admin)
      .post(`/api/reporting-cycles/${cycleId}/report`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    return readWorkbook(res.body as Buffer);
  }

  /** The second plan speaks its own words (frameworks.vocabulary, written by the framework loader from the plan's file). */
  async function useRegionWords(): Promise<void> {
    await t.dataSource.manager.update(Framework, region.id, {
      vocabulary: OWN_WORDS,
    });
  }

  /** The cycle's Umsetzungsbericht as PDF or DOCX, with the name of its file. */
  async function documentOf(
    cycleId: number,
    format: 'pdf' | 'docx',
  ): Promise<{ buffer: Buffer; fileName: string }> {
    const res = await as(admin)
      .post(`/api/reporting-cycles/${cycleId}/report?format=${format}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const fileName = /filename="([^"]+)"/.exec(String(res.headers['content-disposition']))![1];
    return { buffer: res.body as Buffer, fileName };
  }

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

    // The first plan (Bremen, with its example data): its collecting cycle, measures and decisions.
    const framework = (await as(admin).get('/api/frameworks').expect(200)).body as {
      id: number;
      name: string;
    }[];
    const cycles = (await as(admin).get('/api/reporting-cycles').expect(200)).body as Cycle[];
    const cycle = cycles.find((c) => c.state === 'collecting')!;
    const measures = (await as(admin).get('/api/measures?pageSize=100').expect(200)).body as {
      items: { title: string }[];
    };
    const decisions = (await as(admin).get('/api/decisions?pageSize=100').expect(200)).body as {
      items: { text: string }[];
    };
    const dashboard = (await as(admin).get('/api/dashboard').expect(200)).body as {
      totals: { total: number };
    };
    bremen = {
      id: framework[0].id,
      name: framework[0].name,
      cycle,
      titles: measures.items.map((m) => m.title),
      decisions: decisions.items.map((d) => d.text),
      total: dashboard.totals.total,
    };
    expect(bremen.decisions.length).toBeGreaterThan(0);

    // The second plan: its goal, field, body, two measures of ASJI, a cycle over the same period with a
    // report, a meeting with a decision, and a revision, all within the first plan's period.
    const manager = t.dataSource.manager;
    const plan = await addPlan(manager, {
      code: 'regiopolregion-test',
      name: 'Handlungsprogramm Regiopolregion',
      region: 'Regiopolregion',
      targetGroups: ['Frauen'],
    });
    const goal = await manager.save(
      manager.create(Goal, {
        frameworkId: plan.id,
        code: '2.1',
        title: 'Teilhabe in der Region',
        description: '',
      }),
    );
    const field = await manager.save(
      manager.create(ActionField, { frameworkId: plan.id, code: '3.1', title: 'Sprache', description: '' }),
    );
    const body = await manager.save(
      manager.create(GovernanceBody, {
        frameworkId: plan.id,
        code: 'lenkungskreis',
        name: 'Lenkungskreis Regiopolregion',
        description: '',
        minMeetingsPerYear: 1,
        maxMeetingsPerYear: 4,
        members: [],
        sortOrder: 1,
      }),
    );
    const regionIds: Ids = {
      goals: { '2.1': goal.id, '2.2': goal.id },
      fields: { '3.1': field.id },
      departments: ids.departments,
    };
    const measureIds: number[] = [];
    for (const [code, title] of [
      ['3.1-91', 'Sprachlotsen in der Regiopolregion'],
      ['3.1-92', 'Willkommenslotsen im Umland'],
    ]) {
      const created = await as(admin)
        .post('/api/measures')
        .send(
          newMeasure(regionIds, {
            code,
            title,
            goalIds: [goal.id],
            participatingDepartmentIds: [],
            targetGroups: ['Frauen'],
            plannedStart: cycle.periodStart,
            plannedEnd: cycle.periodEnd,
          }),
        );
      expectStatus(created, 201);
      measureIds.push((created.body as { id: number }).id);
    }
    const created = (
      await as(admin)
        .post('/api/reporting-cycles')
        .send({
          frameworkId: plan.id,
          code: cycle.code,
          name: 'Regiopol-Bericht',
          periodStart: cycle.periodStart,
          periodEnd: cycle.periodEnd,
          inputDeadline: cycle.inputDeadline,
        })
        .expect(201)
    ).body as Cycle;
    const collecting = (
      await as(admin)
        .post(`/api/reporting-cycles/${created.id}/transition`)
        .send({ version: created.version, to: 'collecting' })
        .expect(200)
    ).body as Cycle;
    // The coordinating unit's own report counts as accepted at once.
    await as(admin)
      .post(`/api/measures/${measureIds[0]}/status-reports`)
      .send(newReport({ reportedAt: today, summary: 'Regiopol-Sachstand: Lotsen sind unterwegs.' }))
      .expect(201);
    const meetingDay = cycle.periodStart > addDays(today, -30) ? cycle.periodStart : addDays(today, -30);
    const meeting = (
      await as(admin)
        .post('/api/meetings')
        .send({ bodyId: body.id, date: meetingDay, title: 'Regiopol-Auftaktsitzung' })
        .expect(201)
    ).body as { id: number };
    await as(admin)
      .post('/api/decisions')
      .send({
        meetingId: meeting.id,
        kind: 'other',
        text: 'Regiopol-Beschluss: Lotsenprogramm ausweiten.',
        responsibleDepartmentId: ids.departments.ASJI,
        dueDate: addDays(today, 60),
      })
      .expect(201);
    // A change to a measure, as a decision's follow-up records it.
    await manager.save(
      manager.create(MeasureChange, {
        measureId: measureIds[1],
        kind: 'changed',
        decisionId: null,
        reason: 'Regiopol-Änderungsgrund',
        summary: 'Laufzeit angepasst',
        userId: null,
        isExample: false,
      }),
    );
    await manager.save(
      manager.create(FrameworkRevision, {
        frameworkId: plan.id,
        effectiveDate: meetingDay,
        reason: 'Regiopol-Fortschreibung des Programms',
        authorId: null,
        authorName: 'Test',
        versionBefore: '1',
        versionAfter: '1.1',
        source: 'api',
        changes: [],
        effects: { lines: ['Regiopol-Änderung am Programm'], measures: [], accounts: [], bodies: [] },
      }),
    );
    region = {
      id: plan.id,
      name: plan.name,
      cycle: collecting,
      measureIds,
      meetingTitle: 'Regiopol-Auftaktsitzung',
      decisionText: 'Regiopol-Beschluss: Lotsenprogramm ausweiten.',
      revisionReason: 'Regiopol-Fortschreibung des Programms',
    };
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it("the report of the first plan's cycle holds none of the second plan's records", async () => {
    const workbook = await reportOf(bremen.cycle.id);
    const text = allText(workbook);
    for (const foreign of [
      'Sprachlotsen in der Regiopolregion',
      'Willkommenslotsen im Umland',
      region.meetingTitle,
      region.decisionText,
      region.revisionReason,
      'Regiopol-Änderung am Programm',
      'Lenkungskreis Regiopolregion',
      'Regiopol-Änderungsgrund',
    ])
      expect({ foreign, found: text.includes(foreign) }).toEqual({ foreign, found: false });
    // The first plan's own records are there.
    const decisions = sheetTexts(workbook)['Beschlüsse'];
    expect(bremen.decisions.some((d) => decisions.includes(d))).toBe(true);
  });

  it("the report of the second plan's cycle holds its own records and none of the first plan's", async () => {
    const workbook = await reportOf(region.cycle.id);
    const sheets = sheetTexts(workbook);
    expect(sheets['Maßnahmen']).toContain('Sprachlotsen in der Regiopolregion');
    expect(sheets['Maßnahmen']).toContain('Willkommenslotsen im Umland');
    expect(sheets['Gremien']).toContain(region.meetingTitle);
    expect(sheets['Beschlüsse']).toContain(region.decisionText);
    expect(sheets['Änderungen']).toContain('Regiopol-Änderungsgrund');
    expect(sheets['Fortschreibung']).toContain(region.revisionReason);
    const text = allText(workbook);
    for (const foreign of [...bremen.titles, ...bremen.decisions.map((d) => d.slice(0, 60))])
      expect({ foreign, found: text.includes(foreign) }).toEqual({ foreign, found: false });
  });

  it("a department's template for the second plan's cycle lists that plan's measures only", async () => {
    const res = await as(admin)
      .get(`/api/reporting-cycles/${region.cycle.id}/templates/${ids.departments.ASJI}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const sheet = (await readWorkbook(res.body as Buffer)).getWorksheet('Meldungen')!;
    const titleColumn = headerRow(sheet).indexOf('Maßnahme') + 1;
    const titles: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) titles.push(row.getCell(titleColumn).text);
    });
    expect(titles.sort()).toEqual(['Sprachlotsen in der Regiopolregion', 'Willkommenslotsen im Umland']);
    // Named with the other plan, the cycle is not found there (the access guard sees the cycle's plan differ).
    const other = await as(admin)
      .get(
        `/api/reporting-cycles/${region.cycle.id}/templates/${ids.departments.ASJI}?frameworkId=${bremen.id}`,
      )
      .expect(404);
    expect(other.body.code).toBe('ACCESS.OTHER_PLAN');
  });

  it("indicator values are imported into the plan named, by that plan's codes", async () => {
    const manager = t.dataSource.manager;
    // The same code in both plans (B2a is one of Bremen's).
    const own = await manager.save(
      manager.create(Indicator, {
        frameworkId: region.id,
        code: 'B2a',
        name: 'Einbürgerungen in der Region',
        groups: ['gesamt'],
      }),
    );
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Werte');
    sheet.addRow(['Indikator', 'Jahr', 'Gruppe', 'Wert', 'Anmerkung']);
    sheet.addRow(['B2a', 2031, 'gesamt', 4.2, 'Regiopol-Wert']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const imported = await as(admin)
      .post(`/api/indicators/imports?frameworkId=${region.id}`)
      .attach('file', file, 'werte.xlsx')
      .expect(200);
    expect(imported.body).toMatchObject({ dryRun: false, written: 1 });
    const values = await manager.findBy(IndicatorValue, { year: 2031 });
    expect(values.map((v) => [v.indicatorId, v.value])).toEqual([[own.id, 4.2]]);
    // Without a plan, with two plans, the import does not guess.
    const unnamed = await as(admin)
      .post('/api/indicators/imports')
      .attach('file', file, 'werte.xlsx')
      .expect(400);
    expect(unnamed.body.code).toBe('FRAMEWORK.PLAN_REQUIRED');
  });

  it('each plan’s dashboard counts its own measures', async () => {
    const first = (await as(admin).get(`/api/dashboard?frameworkId=${bremen.id}`).expect(200)).body as {
      totals: { total: number };
    };
    const second = (await as(admin).get(`/api/dashboard?frameworkId=${region.id}`).expect(200)).body as {
      totals: { total: number };
    };
    expect(first.totals.total).toBe(bremen.total);
    expect(second.totals.total).toBe(2);
  });

  it('the audit trail is read per plan, and for the installation itself', async () => {
    type Entry = { entity: string; entityId: string; action: string; frameworkId: number | null };
    const list = async (filter: string): Promise<{ items: Entry[]; total: number }> =>
      (await as(admin).get(`/api/audit?pageSize=200&${filter}`).expect(200)).body as {
        items: Entry[];
        total: number;
      };
    // Downloads are filed under the plan they hand out.
    await as(admin)
      .get(`/api/measure-plan?frameworkId=${region.id}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const first = await list(`frameworkId=${bremen.id}`);
    const second = await list(`frameworkId=${region.id}`);
    const installation = await list('frameworkId=installation');
    const everything = await list('');
    expect(first.items.every((e) => e.frameworkId === bremen.id)).toBe(true);
    expect(
      first.items.filter((e) => e.entity === 'Measure' && region.measureIds.map(String).includes(e.entityId)),
    ).toEqual([]);
    // The second plan's measures, its report and its review are filed under it.
    const regional = second.items.filter((e) =>
      ['Measure', 'StatusReport', 'Decision', 'Meeting'].includes(e.entity),
    );
    expect(new Set(regional.map((e) => e.entity))).toEqual(
      new Set(['Measure', 'StatusReport', 'Decision', 'Meeting']),
    );
    expect(second.items.every((e) => e.frameworkId === region.id)).toBe(true);
    expect(second.items.filter((e) => e.action === 'export').map((e) => e.entity)).toEqual(
      expect.arrayContaining(['MeasurePlan', 'InputTemplate']),
    );
    expect(second.items.some((e) => e.entity === 'ImplementationReport')).toBe(true);
    // Sign-ins belong to the installation: not under a plan, under "installation", and in the whole trail.
    expect(installation.items.some((e) => e.entity === 'Session' && e.action === 'login')).toBe(true);
    expect(installation.items.every((e) => e.frameworkId === null)).toBe(true);
    expect(first.items.some((e) => e.entity === 'Session')).toBe(false);
    expect(everything.total).toBe(first.total + second.total + installation.total);
    const refused = await as(admin).get('/api/audit?frameworkId=irgendwas').expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
  });

  it('the Protokoll page offers the plans and the installation as a filter', async () => {
    const session = await signInByForm(t.http, 'admin@demo.local');
    const page = await t.http
      .get(`/plaene/regiopolregion-test/protokoll?frameworkId=${region.id}&entity=Measure`)
      .set('Cookie', `${SESSION_COOKIE}=${session}`)
      .expect(200);
    const select = /<select[^>]*name="frameworkId"[\s\S]*?<\/select>/.exec(page.text)?.[0] ?? '';
    expect(select).toContain(bremen.name);
    expect(select).toContain(region.name);
    expect(select).toContain('Installation (Konten, Anmeldungen, Organisationen)');
    expect(select).toMatch(new RegExp(`<option value="${region.id}" selected`));
    const table = /<tbody[\s\S]*?<\/tbody>/.exec(page.text)?.[0] ?? '';
    expect(table).toContain('Sprachlotsen in der Regiopolregion');
    expect(table).not.toContain(bremen.titles[0]);
  });

  it('reminders and digests go out per plan and name it', async () => {
    // The social department's editor writes for ASJI in the second plan too (a membership there).
    const [soziales] = await t.dataSource.manager.find(User, { where: { email: 'soziales@demo.local' } });
    await t.dataSource.manager.insert(Membership, {
      userId: soziales.id,
      frameworkId: region.id,
      role: 'editor',
      departmentId: ids.departments.ASJI,
    });
    const run = (await as(admin).post('/api/notifications/run').send({}).expect(200)).body as {
      sent: number;
      failed: number;
    };
    expect(run.failed).toBe(0);
    const socialMails = smtp.to('soziales@demo.local');
    const regional = socialMails.filter((m) => m.subject.includes(region.cycle.name));
    expect(regional.length).toBeGreaterThan(0);
    for (const mail of regional) {
      expect(mail.subject.endsWith(` – ${region.name}`)).toBe(true);
      expect(mail.body).toContain(`${BASE}/plaene/regiopolregion-test/meldungen`);
      // The second measure has no report yet: it is listed; the first plan's measures are not.
      expect(mail.body).toContain('Willkommenslotsen im Umland');
      for (const title of bremen.titles.slice(0, 10)) expect(mail.body).not.toContain(title);
    }
    for (const mail of socialMails.filter((m) => m.subject.includes(bremen.cycle.name)))
      expect(mail.subject.endsWith(` – ${bremen.name}`)).toBe(true);
    // One digest per plan, each with its plan's name.
    const digests = smtp.to('admin@demo.local').filter((m) => /^Wochenübersicht/.test(m.subject));
    expect(digests.map((m) => m.subject.split(' – ')[1]).sort()).toEqual([bremen.name, region.name].sort());
  });

  it("a plan's own words name the workbooks' sheets and headers; Bremen keeps its own", async () => {
    const bremenReport = await reportOf(bremen.cycle.id);
    expect(bremenReport.worksheets.map((w) => w.name).slice(0, 5)).toEqual([
      'Übersicht',
      'Ziele',
      'Handlungsfelder',
      'Ressorts',
      'Maßnahmen',
    ]);
    await useRegionWords();
    const workbook = await reportOf(region.cycle.id);
    expect(workbook.worksheets.map((w) => w.name).slice(0, 5)).toEqual([
      'Übersicht',
      'Leitziele',
      'Themenfelder',
      'Organisationen',
      'Projekte',
    ]);
    expect(headerRow(workbook.getWorksheet('Projekte')!).slice(0, 4)).toEqual([
      'Code',
      'Projekt',
      'Themenfeld',
      'Leitziele',
    ]);
    expect(workbook.getWorksheet('Übersicht')!.getCell('A1').text).toBe(
      `Sachstandsbericht ${region.cycle.code}`,
    );
    const template = await as(admin)
      .get(`/api/reporting-cycles/${region.cycle.id}/templates/${ids.departments.ASJI}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const sheet = (await readWorkbook(template.body as Buffer)).getWorksheet('Meldungen')!;
    expect(headerRow(sheet).slice(1, 4)).toEqual(['Code', 'Projekt', 'Themenfeld']);
  });

  it("the Umsetzungsbericht as PDF and DOCX speaks the plan's words; Bremen's keeps its own", async () => {
    await useRegionWords();
    const pdf = await documentOf(region.cycle.id, 'pdf');
    expect(pdf.fileName).toMatch(new RegExp(`^Sachstandsbericht-${region.cycle.code}-Entwurf-.*\\.pdf$`));
    expect(poppler('pdfinfo', pdf.buffer)).toMatch(
      new RegExp(`^Title:\\s+Sachstandsbericht ${region.cycle.code} \\(Entwurf\\)`, 'm'),
    );
    // The text as it flows: a line that ends in a hyphen goes on in the next one.
    const pdfText = poppler('pdftotext', pdf.buffer)
      .replace(/-\n\s*/g, '-')
      .replace(/\s+/g, ' ');
    const docx = await documentOf(region.cycle.id, 'docx');
    expect(docx.fileName).toMatch(new RegExp(`^Sachstandsbericht-${region.cycle.code}-Entwurf-.*\\.docx$`));
    const { xml, text: docxText } = await docxParts(docx.buffer);
    for (const [format, text] of [
      ['pdf', pdfText],
      ['docx', docxText],
    ]) {
      for (const word of [
        `Sachstandsbericht ${region.cycle.code}`,
        'Themenfelder und Projekte',
        'Projekte nach Status je Leitziel',
        'Projekte nach Status je Themenfeld',
        'Organisation (federführend)',
        'Projekte gesamt',
        'Sprachlotsen in der Regiopolregion',
      ])
        expect({ format, word, found: text.includes(word) }).toEqual({ format, word, found: true });
      for (const bremenWord of ['Umsetzungsbericht', 'Maßnahme', 'Handlungsfeld', 'Ressort', 'Rahmenkonzept'])
        expect({ format, bremenWord, found: text.includes(bremenWord) }).toEqual({
          format,
          bremenWord,
          found: false,
        });
      expect({ format, goals: /\bZiele\b/.test(text) }).toEqual({ format, goals: false });
    }
    expect(styled(xml, 'Heading1')).toEqual(
      expect.arrayContaining([
        'Themenfelder und Projekte',
        'Gremien und Beteiligung',
        'Fortschreibung des Plans',
      ]),
    );
    const core = await (await JSZip.loadAsync(docx.buffer)).file('docProps/core.xml')!.async('string');
    expect(core).toContain(`Sachstandsbericht ${region.cycle.code}`);
    expect(core).not.toContain('Umsetzungsbericht');
    // The first plan's document keeps the Bremen words.
    const bremenDocx = await documentOf(bremen.cycle.id, 'docx');
    expect(bremenDocx.fileName).toMatch(/^Umsetzungsbericht-/);
    const bremenText = (await docxParts(bremenDocx.buffer)).text;
    for (const word of [
      `Umsetzungsbericht ${bremen.cycle.code}`,
      'Handlungsfelder und Maßnahmen',
      'Ressort (federführend)',
    ])
      expect({ word, found: bremenText.includes(word) }).toEqual({ word, found: true });
  });
});
