/**
 * A plan's words in what the product says: the refusals of the policies, the services' errors, the reminder
 * mails and the organisations a plan's pages offer. The installation runs all shipped plans with their example
 * data (as `npm start` in demo mode); the Regiopolregion Bielefeld calls its measures "Projekte" and its
 * organisations "Partnerkommunen", and its pages offer its own partners only. Bremen keeps its own texts.
 * Runs on SQLite and on PostgreSQL.
 */
import { todayInBremen } from '../src/common/dates.js';
import { SESSION_COOKIE } from '../src/common/auth/session.js';
import { type MailServer, startMailServer } from './helpers/mail-server.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';
import { signInByForm } from './helpers/web-sign-in.js';
import { binaryParser, readWorkbook } from './helpers/workbooks.js';

const BASE = 'https://monitor.example.test';
const REGIOPOL = 'regiopolregion-bielefeld';

interface MeasureRow {
  id: number;
  code: string;
  version: number;
  leadDepartmentId: number;
  actionFieldId: number;
  goalIds: number[];
}

interface Organisation {
  id: number;
  code: string;
  name: string;
}

/** The options of the select named `name` in a page's HTML, as their visible labels. */
function optionsOf(html: string, name: string): string[] {
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (!select) throw new Error(`Kein Auswahlfeld ${name} auf der Seite`);
  return [...select[1].matchAll(/<option[^>]*>([^<]*)<\/option>/g)]
    .map((m) => m[1].trim())
    .filter((label) => label !== '' && !/^(alle|–)/i.test(label));
}

describe("a plan's words in messages, mails and the organisations its pages offer", () => {
  let smtp: MailServer;
  let t: TestApp;
  let admin: string;
  let regiopol: string;
  let plans: { bremen: number; regiopol: number };
  let measures: Record<string, MeasureRow>;
  let directory: Organisation[];

  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body: object) => t.http.post(path).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) => t.http.patch(path).auth(token, { type: 'bearer' }).send(body),
  });

  /** The request is refused with the status, says the message, and the database is unchanged. */
  async function refused(
    request: () => PromiseLike<{ status: number; body: unknown }>,
    status: number,
    message: string,
  ): Promise<string> {
    const before = await databaseFingerprint(t.dataSource);
    const res = await request();
    expect(res.status).toBe(status);
    const said = JSON.stringify(res.body);
    expect(said).toContain(message);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    return said;
  }

  beforeAll(async () => {
    smtp = await startMailServer();
    t = await createTestApp({
      FRAMEWORK_FILE: 'data/frameworks',
      EXAMPLE_DATA_FILE: 'data/examples',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Rahmenkonzept-Monitor <monitor@example.test>',
      APP_BASE_URL: BASE,
      NOTIFY_INTERVAL_MINUTES: '0',
    });
    admin = await t.login('admin@demo.local');
    regiopol = await t.login('regiopol@demo.local');
    const list = (await as(admin).get('/api/frameworks').expect(200)).body as { id: number; code: string }[];
    plans = {
      bremen: list.find((p) => p.code === 'bremen-rk-2021')!.id,
      regiopol: list.find((p) => p.code === REGIOPOL)!.id,
    };
    const items = (
      (await as(admin).get(`/api/measures?frameworkId=${plans.regiopol}&pageSize=100`).expect(200)).body as {
        items: MeasureRow[];
      }
    ).items;
    measures = Object.fromEntries(items.map((m) => [m.code, m]));
    directory = (await as(admin).get('/api/departments').expect(200)).body as Organisation[];
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const organisation = (code: string): Organisation => directory.find((d) => d.code === code)!;

  it("refuses a partner's write on another partner's project in the plan's words", async () => {
    const other = measures['KUL-01'];
    const said = await refused(
      () => as(regiopol).patch(`/api/measures/${other.id}`, { version: other.version, description: 'x' }),
      403,
      'Sie dürfen nur Projekte bearbeiten, für die Sie als Partnerkommune federführend sind (KUL-01 gehört nicht dazu).',
    );
    expect(said).not.toMatch(/Ressort|Maßnahme/);
    // Structural fields are the coordinating office's, whatever the plan calls it.
    const own = measures['MOB-01'];
    await refused(
      () => as(regiopol).patch(`/api/measures/${own.id}`, { version: own.version, title: 'Neu' }),
      403,
      'Diese Felder darf nur die koordinierende Stelle des Plans ändern: title.',
    );
    // A version read before someone else's change: the project, not "die Maßnahme".
    await refused(
      () => as(regiopol).patch(`/api/measures/${own.id}`, { version: own.version + 5, description: 'x' }),
      409,
      `Projekt MOB-01 wurde inzwischen geändert (Version ${own.version}, Ihre Version ${own.version + 5}).`,
    );
  });

  it('names a missing project and a partner outside the plan in the plan’s words', async () => {
    await refused(
      () => as(regiopol).get('/api/measures/999999'),
      404,
      'Projekt 999999 wurde nicht gefunden.',
    );
    const own = measures['MOB-01'];
    const asji = organisation('ASJI');
    const said = await refused(
      () =>
        as(admin).post('/api/measures', {
          code: 'MOB-09',
          title: 'Radschnellweg ins Umland',
          description: '',
          actionFieldId: own.actionFieldId,
          goalIds: own.goalIds,
          leadDepartmentId: asji.id,
          participatingDepartmentIds: [],
          level: 'region',
          targetGroups: [],
        }),
      400,
      'Partnerkommune ASJI nimmt an diesem Plan nicht teil',
    );
    expect(said).not.toMatch(/Ressort|Rahmenkonzept/);
  });

  it('keeps the Bremen texts in the Bremen plan', async () => {
    const bremenMeasures = (
      (await as(admin).get(`/api/measures?frameworkId=${plans.bremen}&pageSize=100`).expect(200)).body as {
        items: MeasureRow[];
      }
    ).items;
    const skb = organisation('SKB');
    const ofSkb = bremenMeasures.find((m) => m.leadDepartmentId === skb.id)!;
    const soziales = await t.login('soziales@demo.local');
    await refused(
      () => as(soziales).patch(`/api/measures/${ofSkb.id}`, { version: ofSkb.version, description: 'x' }),
      403,
      `Sie dürfen nur Maßnahmen bearbeiten, die Ihr Ressort federführend verantwortet (${ofSkb.code} gehört nicht dazu).`,
    );
    await refused(
      () => as(soziales).get('/api/measures/999999'),
      404,
      'Maßnahme 999999 wurde nicht gefunden.',
    );
  });

  it('names the coordinating office of a plan with its own words on the public index', async () => {
    const index = (await t.http.get('/oeffentlich').expect(200)).text;
    expect(index).toContain(
      'Für diesen Plan ist noch kein Bericht veröffentlicht. Sobald die koordinierende Stelle einen Berichtszyklus veröffentlicht hat',
    );
  });

  it('lists a plan’s own organisations through the API when the plan is named', async () => {
    const own = (await as(admin).get(`/api/departments?frameworkId=${plans.regiopol}`).expect(200))
      .body as Organisation[];
    expect(own.map((d) => d.code).sort()).toEqual(['BI', 'RPR-GS']);
    // Without a plan: the shared directory, which holds every plan's organisations.
    expect(directory.map((d) => d.code)).toEqual(expect.arrayContaining(['ASJI', 'BI', 'RPR-GS']));
  });

  it("offers the plan's own partners on its pages, not the whole directory", async () => {
    const session = await signInByForm(t.http, 'admin@demo.local');
    const page = async (path: string): Promise<string> => {
      const res = await t.http
        .get(`/plaene/${REGIOPOL}${path}`)
        .set('Cookie', `${SESSION_COOKIE}=${session}`);
      expect(res.status).toBe(200);
      return res.text;
    };
    // A plural in the dative, adjective and noun: "nach Strategischen Zielen".
    expect(await page('/')).toContain('Projekte nach Status und Strategischen Zielen');
    const partners = [organisation('BI').name, organisation('RPR-GS').name].sort();
    expect(optionsOf(await page('/massnahmen'), 'leadDepartmentId').sort()).toEqual(partners);
    expect(optionsOf(await page('/meldungen'), 'departmentId').sort()).toEqual(partners);
    expect(optionsOf(await page('/massnahmen/neu'), 'leadDepartmentId').sort()).toEqual(partners);
    expect(optionsOf(await page('/pruefung'), 'departmentId').sort()).toEqual(partners);
    // Bremen's pages still offer Bremen's departments.
    const bremenPage = await t.http
      .get('/plaene/bremen-rk-2021/massnahmen')
      .set('Cookie', `${SESSION_COOKIE}=${session}`)
      .expect(200);
    const bremenOptions = optionsOf(bremenPage.text, 'leadDepartmentId');
    expect(bremenOptions).toContain(organisation('ASJI').name);
    expect(bremenOptions).not.toContain(organisation('BI').name);
  });

  it('reminds the partners of their projects in the plan’s words', async () => {
    // The plan's cycle of this year (demo mode opens one per plan), open for input.
    const cycles = (await as(admin).get(`/api/reporting-cycles?frameworkId=${plans.regiopol}`).expect(200))
      .body as { id: number; name: string; state: string; version: number; periodStart: string }[];
    const year = todayInBremen().slice(0, 4);
    const cycle = cycles.find((c) => c.periodStart.startsWith(year))!;
    if (cycle.state === 'planned')
      await as(admin)
        .post(`/api/reporting-cycles/${cycle.id}/transition`, { version: cycle.version, to: 'collecting' })
        .expect(200);
    const run = (await as(admin).post('/api/notifications/run', {}).expect(200)).body as { failed: number };
    expect(run.failed).toBe(0);
    const mails = smtp.to('regiopol@demo.local').filter((m) => m.subject.includes(cycle.name));
    expect(mails.length).toBeGreaterThan(0);
    const opened = mails.find((m) => m.subject.includes('Erfassung geöffnet'))!;
    expect(opened.body).toContain('Bitte melden Sie den Stand der Projekte, für die Sie als Partnerkommune');
    expect(opened.body).toContain('MOB-01');
    expect(opened.body).not.toMatch(/Ressort|Maßnahme/);
  });

  it("writes the Erfassungsvorlage's instructions in the plan's words", async () => {
    const cycles = (await as(admin).get(`/api/reporting-cycles?frameworkId=${plans.regiopol}`).expect(200))
      .body as { id: number; state: string }[];
    const cycle = cycles.find((c) => c.state === 'collecting')!;
    const bielefeld = organisation('BI');
    const file = await as(regiopol)
      .get(`/api/reporting-cycles/${cycle.id}/templates/${bielefeld.id}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const sheet = (await readWorkbook(file.body as Buffer)).getWorksheet('Anleitung')!;
    const text: string[] = [];
    sheet.eachRow((row) => text.push(row.getCell(1).text));
    expect(text).toContain(
      `1. Im Blatt „Meldungen“ steht je Zeile ein Eintrag (Projekt), den ${bielefeld.name} federführend verantwortet.`,
    );
    expect(text.find((line) => line.startsWith('Erstellt am'))).toMatch(
      new RegExp(`mit 2 Projekten von ${bielefeld.name}\\.$`),
    );
    expect(text.join('\n')).not.toMatch(/Ressort|Maßnahme|eine Projekt|\(n\)/);
  });
  it('says a Fortschreibung in the plan’s words, and names it only on that plan’s page', async () => {
    const { version } = (await as(admin).get(`/api/framework?frameworkId=${plans.regiopol}`).expect(200))
      .body as {
      version: string;
    };
    const revision = {
      frameworkId: plans.regiopol,
      expectedVersion: version,
      effectiveDate: todayInBremen(),
      reason: 'Beschluss des Steuerungskreises',
      versionLabel: `${version}-1`,
    };
    await refused(
      () =>
        as(admin).post('/api/framework/revisions/preview', {
          ...revision,
          changes: [{ kind: 'retire_department', code: 'XYZ' }],
        }),
      400,
      'Änderung 1: Partnerkommune \\"XYZ\\" ist unbekannt',
    );
    const applied = (
      await as(admin)
        .post('/api/framework/revisions', {
          ...revision,
          changes: [
            { kind: 'add_department', code: 'GT', name: 'Gütersloh (Beispiel)' },
            // The title is the plan's own text: its words stay as written.
            { kind: 'add_goal', code: 'Z9', title: 'Ressorts und Maßnahmen verbinden' },
          ],
        })
        .expect(201)
    ).body as { revisionId: number; effects: { lines: string[] } };
    expect(applied.effects.lines).toEqual([
      'Partnerkommune GT „Gütersloh (Beispiel)“ neu',
      'Strategisches Ziel Z9 „Ressorts und Maßnahmen verbinden“ neu',
    ]);
    // The notice after the Fortschreibung: on the plan's page, not on another plan's under the same number.
    const session = await signInByForm(t.http, 'admin@demo.local');
    const notice = `Fortschreibung Nr. ${applied.revisionId} mit 2 Änderungen übernommen.`;
    const pageOf = async (code: string): Promise<string> =>
      (
        await t.http
          .get(`/plaene/${code}/rahmenkonzept?erfolg=fortschreibung&nr=${applied.revisionId}`)
          .set('Cookie', `${SESSION_COOKIE}=${session}`)
          .expect(200)
      ).text;
    expect(await pageOf(REGIOPOL)).toContain(notice);
    expect(await pageOf('bremen-rk-2021')).not.toContain('Fortschreibung Nr.');
  });

  it("gives a role in a plan only for an organisation taking part in it, and says so in the plan's words", async () => {
    const account = (email: string, memberships: object[]) =>
      as(admin).post('/api/users', {
        email,
        displayName: 'Konto je Plan',
        password: 'Sicher-genug-2026',
        memberships,
      });
    const asji = organisation('ASJI');
    const bi = organisation('BI');
    const said = await refused(
      () =>
        account('fremd@example.org', [
          { frameworkId: plans.regiopol, role: 'editor', departmentId: asji.id },
        ]),
      400,
      'Partnerkommune ASJI nimmt an diesem Plan nicht teil',
    );
    expect(said).not.toMatch(/Ressort|Rahmenkonzept/);
    await refused(
      () =>
        account('fremd@example.org', [{ frameworkId: plans.bremen, role: 'editor', departmentId: bi.id }]),
      400,
      'Ressort BI nimmt an diesem Rahmenkonzept nicht teil',
    );
    await refused(
      () =>
        account('fremd@example.org', [{ frameworkId: plans.regiopol, role: 'viewer', departmentId: bi.id }]),
      400,
      'ist nur bei Konten der Rolle editor anzugeben',
    );
    await refused(
      () =>
        account('fremd@example.org', [{ frameworkId: plans.bremen, role: 'viewer', departmentId: asji.id }]),
      400,
      'nur Konten der Rolle editor gehören zu einem Ressort',
    );
    const created = (
      await account('partnerin@example.org', [
        { frameworkId: plans.bremen, role: 'viewer' },
        { frameworkId: plans.regiopol, role: 'editor', departmentId: bi.id },
      ]).expect(201)
    ).body as { id: number; version: number };

    // A role the account already holds stays, even where its organisation does not (or no longer) take part:
    // a membership written before this check, as an older installation holds it.
    await t.dataSource
      .createQueryBuilder()
      .update('memberships')
      .set({ departmentId: asji.id })
      .where('"userId" = :id AND "frameworkId" = :plan', { id: created.id, plan: plans.regiopol })
      .execute();
    const held = [
      { frameworkId: plans.bremen, role: 'viewer' },
      { frameworkId: plans.regiopol, role: 'editor', departmentId: asji.id },
    ];
    const renamed = (
      await as(admin)
        .patch(`/api/users/${created.id}`, {
          version: created.version,
          displayName: 'Partnerin B.',
          memberships: held,
        })
        .expect(200)
    ).body as { version: number; memberships: { frameworkId: number; departmentId: number | null }[] };
    expect(renamed.memberships.find((m) => m.frameworkId === plans.regiopol)!.departmentId).toBe(asji.id);
    // Another organisation outside the plan is refused, as for a new account.
    await refused(
      () =>
        as(admin).patch(`/api/users/${created.id}`, {
          version: renamed.version,
          memberships: [held[0], { ...held[1], departmentId: organisation('SKB').id }],
        }),
      400,
      'Partnerkommune SKB nimmt an diesem Plan nicht teil',
    );

    // The account page: each plan's fieldset in its words, offering its own organisations (and the one the
    // account already holds there).
    const session = await signInByForm(t.http, 'admin@demo.local');
    const page = (
      await t.http
        .get(`/plaene/${REGIOPOL}/konten/${created.id}`)
        .set('Cookie', `${SESSION_COOKIE}=${session}`)
        .expect(200)
    ).text;
    const regiopolPartners = (
      (await as(admin).get(`/api/departments?frameworkId=${plans.regiopol}`).expect(200))
        .body as Organisation[]
    ).map((d) => d.name);
    expect(optionsOf(page, `plan_${plans.regiopol}_departmentId`).sort()).toEqual(
      [...regiopolPartners, asji.name].sort(),
    );
    expect(optionsOf(page, `plan_${plans.regiopol}_role`)).toEqual([
      'keine Rolle',
      'Koordinierende Stelle (Administration)',
      'Partnerkommune (Bearbeitung)',
      'Lesezugriff',
    ]);
    expect(page).toContain(
      `<label class="kern-label" for="plan_${plans.regiopol}_departmentId">Partnerkommune (nur bei Bearbeitung)`,
    );
    expect(page).toContain('Regiopolregion Bielefeld: Partnerkommune (Bearbeitung), ');
    // Bremen's fieldset as it was.
    expect(optionsOf(page, `plan_${plans.bremen}_role`)).toEqual([
      'keine Rolle',
      'Koordinierungsstelle (Administration)',
      'Ressort (Bearbeitung)',
      'Lesezugriff',
    ]);
    const bremenOptions = optionsOf(page, `plan_${plans.bremen}_departmentId`);
    expect(bremenOptions).toContain(asji.name);
    expect(bremenOptions).not.toContain(bi.name);
    expect(page).toContain(
      `<label class="kern-label" for="plan_${plans.bremen}_departmentId">Ressort (nur für Ressort-Konten)`,
    );
    expect(page).toContain('hat in jedem Plan die Rolle der koordinierenden Stelle (Administration).');

    // The form as a browser sends it: every plan's fieldset again. The role held stays; another partner
    // outside the plan is refused under the fieldset's label; a change is said in the plan's words.
    const action = `/plaene/${REGIOPOL}/konten/${created.id}`;
    const form = new RegExp(`<form[^>]*action="${action}"[\\s\\S]*?</form>`).exec(page)![0];
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)![1];
    const post = (fields: Record<string, string>) =>
      t.http
        .post(action)
        .set('Cookie', `${SESSION_COOKIE}=${session}`)
        .type('form')
        .send({
          _csrf: hidden('_csrf'),
          version: hidden('version'),
          displayName: 'Partnerin C.',
          [`plan_${plans.bremen}_role`]: 'viewer',
          [`plan_${plans.bremen}_departmentId`]: '',
          [`plan_${plans.regiopol}_role`]: 'editor',
          [`plan_${plans.regiopol}_departmentId`]: String(asji.id),
          ...fields,
        });
    const foreign = await post({ [`plan_${plans.regiopol}_departmentId`]: String(organisation('SKB').id) });
    expect(foreign.status).toBe(400);
    expect(foreign.text).toContain(
      'Partnerkommune im Plan Regiopolregion Bielefeld: Partnerkommune SKB nimmt an diesem Plan nicht teil',
    );
    const kept = await post({});
    expect(kept.status).toBe(303);
    const moved = await post({
      version: String(renamed.version + 1),
      [`plan_${plans.regiopol}_departmentId`]: String(bi.id),
    });
    expect(moved.status).toBe(303);
    const after = (
      await t.http
        .get(String(moved.headers.location))
        .set('Cookie', `${SESSION_COOKIE}=${session}`)
        .expect(200)
    ).text;
    expect(after).toContain(
      `Rollen von Partnerin C. geändert: Rahmenkonzept gesellschaftliche Teilhabe und Diversity: Lesezugriff; Regiopolregion Bielefeld: Partnerkommune (Bearbeitung), ${bi.name}.`,
    );
  });

  it('heads the page of a plan with its own words as a plan, and Bremen’s as its Rahmenkonzept', async () => {
    const session = await signInByForm(t.http, 'admin@demo.local');
    const heading = async (code: string): Promise<string> => {
      const html = (
        await t.http
          .get(`/plaene/${code}/rahmenkonzept`)
          .set('Cookie', `${SESSION_COOKIE}=${session}`)
          .expect(200)
      ).text;
      return /<h1[^>]*>([^<]*)<\/h1>/.exec(html)![1];
    };
    expect(await heading(REGIOPOL)).toBe('Plan: Regiopolregion Bielefeld');
    expect(await heading('bremen-rk-2021')).toBe(
      'Rahmenkonzept: Rahmenkonzept gesellschaftliche Teilhabe und Diversity',
    );
  });
});
