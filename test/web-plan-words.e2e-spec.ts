/**
 * The signed-in pages of a plan with its own words speak them: the cycle pages' explanations and messages, the
 * measure form, the lifecycle forms and their messages, the meeting, decision and apply forms, the settings'
 * message, the Fortschreibung form, the plan upload's check, the jobs and a refused page. The installation runs all shipped plans with their example data; the Regiopolregion Bielefeld calls
 * its measures "Projekte", its organisations "Partnerkommunen" and its reports "Fortschrittsberichte". Bremen's
 * same pages keep their own texts. Plain HTTP with the session cookie and the forms' tokens, as a browser sends
 * them. Runs on SQLite and on PostgreSQL.
 */
import { SESSION_COOKIE } from '../src/common/auth/session.js';
import type { JobView } from '../src/jobs/jobs.service.js';
import { Department } from '../src/framework/department.entity.js';
import { Framework } from '../src/framework/framework.entity.js';
import { Measure } from '../src/measures/measure.entity.js';
import { ReportingCycle } from '../src/reporting/reporting-cycle.entity.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { signInByForm } from './helpers/web-sign-in.js';
import { binaryParser, readWorkbook } from './helpers/workbooks.js';

const REGIOPOL = '/plaene/regiopolregion-bielefeld';
const BREMEN = '/plaene/bremen-rk-2021';
/** Bremen's words, none of which the Regiopolregion's pages may say in the texts checked here. */
const BREMEN_WORDS = /Maßnahme|Ressort|Koordinierungsstelle|Umsetzungsbericht/;

/** The page's text without tags and the options of the selects (names of measures and bodies are the plan's data). */
function textOf(html: string): string {
  return html
    .replace(/<select[\s\S]*?<\/select>/g, ' ')
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The main content of a page (the header names the plan and the account, the footer the installation). */
function mainOf(html: string): string {
  const main = /<main[\s\S]*?<\/main>/.exec(html);
  if (!main) throw new Error('Die Seite hat keinen Hauptbereich');
  return textOf(main[0]);
}

/** The values of a form's inputs (text and hidden), by name, from the first form posting to `action`. */
function inputsOf(html: string, action: string): Record<string, string> {
  const form = new RegExp(`<form[^>]*action="${action.replace(/[?]/g, '\\?')}"[\\s\\S]*?</form>`).exec(html);
  if (!form) throw new Error(`Kein Formular nach ${action}`);
  const values: Record<string, string> = {};
  for (const input of form[0].matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input[0])?.[1];
    const type = /type="([^"]+)"/.exec(input[0])?.[1] ?? 'text';
    if (!name || type === 'checkbox') continue;
    values[name] = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
  }
  return values;
}

describe("a plan's words on its signed-in pages", () => {
  let t: TestApp;
  let cookie: string;
  let regiopolId: number;
  let project: Measure;

  const get = async (path: string, as = cookie): Promise<string> => {
    const res = await t.http.get(path).set('Cookie', as);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    return res.text;
  };
  /** Posts a form of the page at `page` as it is filled in there, with `fields` changed; the redirect's target. */
  const submit = async (page: string, action: string, fields: Record<string, string>): Promise<string> => {
    const values = inputsOf(await get(page), action);
    const res = await t.http
      .post(action)
      .set('Cookie', cookie)
      .type('form')
      .send({ ...values, ...fields });
    if (res.status !== 303) throw new Error(`POST ${action}: ${res.status} ${mainOf(res.text)}`);
    return String(res.headers.location);
  };

  beforeAll(async () => {
    t = await createTestApp({ FRAMEWORK_FILE: 'data/frameworks', EXAMPLE_DATA_FILE: 'data/examples' });
    cookie = `${SESSION_COOKIE}=${await signInByForm(t.http, 'admin@demo.local')}`;
    regiopolId = (
      await t.dataSource.getRepository(Framework).findOneByOrFail({ code: 'regiopolregion-bielefeld' })
    ).id;
    project = (
      await t.dataSource.getRepository(Measure).find({
        where: { frameworkId: regiopolId, lifecycle: 'active' },
        order: { code: 'ASC' },
        take: 1,
      })
    )[0];
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it("explains each step of a cycle in the plan's words and names its projects in the messages", async () => {
    const created = await submit(`${REGIOPOL}/berichtszyklen/neu`, `${REGIOPOL}/berichtszyklen`, {
      name: 'Nächster Zeitraum',
    });
    const cycleId = Number(/zyklus=(\d+)/.exec(created)?.[1]);
    const form = mainOf(await get(`${REGIOPOL}/berichtszyklen/neu`));
    expect(form).toContain('zum Beispiel Fortschrittsbericht 2028–2029');
    expect(form).toContain('bis dahin melden die Partnerkommunen');
    expect(form).not.toMatch(BREMEN_WORDS);

    const step = async (to: string, expected: string[]): Promise<void> => {
      const page = `${REGIOPOL}/berichtszyklen/${cycleId}/uebergang?nach=${to}`;
      const follows = mainOf(await get(page));
      for (const text of expected) expect(follows).toContain(text);
      expect(follows).not.toMatch(BREMEN_WORDS);
      const flashed = await submit(page, `${REGIOPOL}/berichtszyklen/${cycleId}/uebergang`, {
        confirmed: 'ja',
      });
      expect(mainOf(await get(flashed))).not.toMatch(BREMEN_WORDS);
    };
    await step('collecting', ['Die Partnerkommunen können ab jetzt Sachstände für diesen Zeitraum melden']);
    await step('reviewing', ['die koordinierende Stelle des Plans prüft die eingegangenen Meldungen']);
    await step('closed', [
      'Der Stand aller Projekte wird eingefroren: je Projekt die letzte angenommene Meldung im Zeitraum',
      'Fortschrittsberichte dieses Zyklus werden danach immer aus diesem eingefrorenen Stand erzeugt',
    ]);
    const closed = mainOf(await get(`${REGIOPOL}/berichtszyklen?erfolg=abgeschlossen&zyklus=${cycleId}`));
    expect(closed).toMatch(/abgeschlossen, Stand von \d+ Projekten eingefroren/);
    const publish = mainOf(await get(`${REGIOPOL}/berichtszyklen/${cycleId}/uebergang?nach=published`));
    expect(publish).toContain(
      'Code, Titel, Beschreibung, Handlungsfeld, Strategische Ziele, Partnerkommunen, Ebene',
    );
    expect(publish).not.toMatch(BREMEN_WORDS);
  });

  it("says a saved setting, a lifecycle change and its forms in the plan's words", async () => {
    const settings = mainOf(await get(`${REGIOPOL}/rahmenkonzept?erfolg=einstellungen&version=1`));
    expect(settings).toMatch(
      /Einstellung gespeichert: das Budget der Projekte (ist öffentlich|bleibt intern)\./,
    );

    const page = `${REGIOPOL}/massnahmen/${project.id}`;
    const detail = mainOf(await get(page));
    expect(detail).toContain('Lebenszyklus (koordinierende Stelle)');
    expect(detail).toContain('Projekt einstellen');
    expect(detail).toContain(`Danach nimmt ${project.code} keine Sachstandsmeldungen mehr an`);
    expect(detail).toContain('Aufgehen in (nur aktive Projekte)');
    expect(detail).toContain('erscheint in den Änderungen (Projekt)');
    const lifecycle = /<section class="panel" aria-labelledby="h-lifecycle">[\s\S]*?<\/section>/.exec(
      await get(page),
    )![0];
    expect(textOf(lifecycle)).not.toMatch(BREMEN_WORDS);

    // The discontinue form of the page, posted as it is filled in, and the page it leads to.
    const html = await get(page);
    const discontinue = /<form[^>]*lebenszyklus[\s\S]*?<\/form>/.exec(html)![0];
    const res = await t.http
      .post(`${page}/lebenszyklus`)
      .set('Cookie', cookie)
      .type('form')
      .send({ ...inputsOf(discontinue, `${page}/lebenszyklus`), reason: 'Prüfung der Worte' });
    expect(res.status).toBe(303);
    const after = mainOf(await get(String(res.headers.location)));
    expect(after).toContain(`Projekt ${project.code} eingestellt`);
    expect(after).toContain(`Danach ist ${project.code} wieder aktiv`);
    expect(after).toContain('Projekt reaktivieren');
    const reactivated = await submit(String(res.headers.location), `${page}/lebenszyklus`, {
      reason: 'Prüfung der Worte',
    });
    expect(mainOf(await get(reactivated))).toContain(`Projekt ${project.code} reaktiviert`);
  });

  it("labels the measure form of an editor, and the meeting, decision and apply forms, in the plan's words", async () => {
    const editor = `${SESSION_COOKIE}=${await signInByForm(t.http, 'regiopol@demo.local')}`;
    const bielefeld = await t.dataSource.getRepository(Department).findOneByOrFail({ code: 'BI' });
    const own = await t.dataSource
      .getRepository(Measure)
      .findOneByOrFail({ frameworkId: regiopolId, leadDepartmentId: bielefeld.id, lifecycle: 'active' });
    const edit = mainOf(await get(`${REGIOPOL}/massnahmen/${own.id}/bearbeiten`, editor));
    expect(edit).toContain('Stammdaten der koordinierenden Stelle');
    expect(edit).toContain('Diese Angaben ändert nur die koordinierende Stelle des Plans.');
    expect(edit).not.toMatch(BREMEN_WORDS);

    const meeting = mainOf(await get(`${REGIOPOL}/gremien/sitzungen/neu`));
    expect(meeting).toContain('Teilnehmende Partnerkommunen');
    expect(meeting).not.toMatch(BREMEN_WORDS);
    const decision = mainOf(await get(`${REGIOPOL}/gremien/beschluesse/neu`));
    expect(decision).toContain('Verantwortlich (Partnerkommune)');
    expect(decision).toContain('Betroffene Projekte');
    expect(decision).not.toMatch(BREMEN_WORDS);
    // A refused decision names the fields in the plan's words too.
    const refused = await t.http
      .post(`${REGIOPOL}/gremien/beschluesse`)
      .set('Cookie', cookie)
      .type('form')
      .send({
        ...inputsOf(await get(`${REGIOPOL}/gremien/beschluesse/neu`), `${REGIOPOL}/gremien/beschluesse`),
        responsibleDepartmentId: 'x',
      });
    expect(refused.status).toBe(400);
    expect(mainOf(refused.text)).not.toMatch(BREMEN_WORDS);

    // A decision recorded by its form, then carried out on a project.
    const newDecision = await get(`${REGIOPOL}/gremien/beschluesse/neu`);
    const meetingId = /<select[^>]*name="meetingId"[\s\S]*?<option value="(\d+)"/.exec(newDecision)![1];
    const recorded = await submit(`${REGIOPOL}/gremien/beschluesse/neu`, `${REGIOPOL}/gremien/beschluesse`, {
      meetingId,
      kind: 'other',
      text: 'Die Worte des Plans prüfen',
      responsibleDepartmentId: String(bielefeld.id),
    });
    const decisionId = /beschluss=(\d+)/.exec(recorded)![1];
    const apply = mainOf(await get(`${REGIOPOL}/gremien/beschluesse/${decisionId}/anwenden`));
    expect(apply).toContain('Beschluss anwenden (Projekt)');
    expect(apply).toContain('Projekt aus diesem Beschluss anlegen');
    expect(apply).toContain('Neu: Federführung (Partnerkommune)');
    expect(apply).not.toMatch(BREMEN_WORDS);
    const actions = /<select[^>]*name="action"[\s\S]*?<\/select>/.exec(
      await get(`${REGIOPOL}/gremien/beschluesse/${decisionId}/anwenden`),
    )![0];
    expect(textOf(actions.replace(/<\/?select[^>]*>/g, ''))).toContain('Projekt einstellen');
    expect(actions).toContain('Angaben ändern (Projekt)');
    expect(actions).not.toMatch(BREMEN_WORDS);
  });

  it("labels the Fortschreibung form, its change kinds and its refusals in the plan's words", async () => {
    const html = await get(`${REGIOPOL}/rahmenkonzept`);
    const page = mainOf(html);
    // The form only: the history above it lists the plan's own revisions (its data).
    const form = page.slice(page.indexOf('Fortschreibung vorbereiten'));
    expect(form).toContain('Zuordnung der Projekte');
    expect(form).toContain('bei Teilung eine Zeile je Projekt (aktiv oder eingestellt)');
    expect(form).toContain('E-Mail → neuer Code (Partnerkommune)');
    expect(form).toContain('neuer Name (Partnerkommune)');
    expect(form).not.toMatch(BREMEN_WORDS);
    expect(form).not.toContain('Senatsbeschluss');
    const kinds = /<select[^>]*name="kind"[\s\S]*?<\/select>/.exec(html)![0];
    expect(kinds).toContain('Partnerkommune geteilt');
    expect(kinds).toContain('Partnerkommunen zusammengelegt');
    expect(kinds).not.toMatch(BREMEN_WORDS);
    // The fields of a body's change, and a refused change naming its fields.
    const body = mainOf(
      (
        await t.http
          .post(`${REGIOPOL}/rahmenkonzept/aenderungen`)
          .set('Cookie', cookie)
          .type('form')
          .send({
            ...inputsOf(html, `${REGIOPOL}/rahmenkonzept/aenderungen`),
            kind: 'update_body',
            aktion: 'art',
          })
      ).text,
    );
    expect(body).toContain('eine Zeile je Mitglied: Code (Partnerkommune), Leerzeichen, Funktion');
    expect(body).not.toMatch(BREMEN_WORDS);
    const refused = await t.http
      .post(`${REGIOPOL}/rahmenkonzept/aenderungen`)
      .set('Cookie', cookie)
      .type('form')
      .send({
        ...inputsOf(html, `${REGIOPOL}/rahmenkonzept/aenderungen`),
        kind: 'split_department',
        measures: 'kein Pfeil',
        aktion: 'hinzufuegen',
      });
    expect(refused.status).toBe(400);
    expect(mainOf(refused.text)).toContain('Zuordnung der Projekte');
  });

  it("heads the plan upload's check and refusal in the plan's words", async () => {
    const measures = await get(`${REGIOPOL}/massnahmen`);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(measures)![1];
    const download = await t.http
      .get(`${REGIOPOL}/dateien/massnahmenplan`)
      .set('Cookie', cookie)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const workbook = await readWorkbook(download.body as Buffer);
    const row = workbook.worksheets[0].getRow(2);
    row.getCell(2).value = `${String(row.getCell(2).value)} (geprüft)`;
    const upload = (file: Buffer) =>
      t.http
        .post(`${REGIOPOL}/massnahmen/massnahmenplan`)
        .set('Cookie', cookie)
        .field('_csrf', _csrf)
        .attach('file', file, 'plan.xlsx');
    const checked = await upload(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(checked.status).toBe(200);
    const check = mainOf(checked.text);
    expect(check).toContain('Plan der Projekte prüfen');
    expect(check).toContain('Zurück zur Liste der Projekte');
    expect(check).toContain('Übernehmen legt 0 Projekte an und ändert 1');
    expect(check).not.toMatch(BREMEN_WORDS);
    expect(checked.text).toMatch(/<title>Plan der Projekte prüfen/);

    const faulty = await upload(Buffer.from('keine Arbeitsmappe'));
    expect(faulty.status).toBe(400);
    const refusal = mainOf(faulty.text);
    expect(refusal).toContain('Plan der Projekte hochladen');
    expect(refusal).toContain('Der Plan der Projekte wurde nicht übernommen');
    expect(refusal).toContain('laden Sie sie auf der Seite Projekte erneut hoch');
    expect(refusal).not.toMatch(BREMEN_WORDS);
  });

  it("names a job by the words of the plan it works for, and the coordinating office in the plan's words", async () => {
    const cycle = await t.dataSource
      .getRepository(ReportingCycle)
      .findOneOrFail({ where: { frameworkId: regiopolId }, order: { id: 'ASC' } });
    const queued = await t.http
      .post(`/api/reporting-cycles/${cycle.id}/report?format=xlsx`)
      .auth(await t.login('admin@demo.local'), { type: 'bearer' })
      .set('Prefer', 'respond-async')
      .expect(202);
    const job = queued.body as JobView;
    const list = mainOf(await get(`${REGIOPOL}/auftraege`));
    expect(list).toContain(`${job.id}: Fortschrittsbericht erzeugen`);
    expect(list).toContain('Große Berichte und große Pläne der Projekte');
    expect(list).toContain('Die koordinierende Stelle des Plans sieht die Aufträge aller Konten.');
    expect(list).not.toMatch(BREMEN_WORDS);
    const page = await get(`${REGIOPOL}/auftraege/${job.id}`);
    expect(mainOf(page)).toContain('Fortschrittsbericht erzeugen');
    expect(page).toContain(`<title>Auftrag ${job.id}: Fortschrittsbericht erzeugen`);

    // A page refused to an editor names whom to ask in the plan's words.
    const editor = `${SESSION_COOKIE}=${await signInByForm(t.http, 'regiopol@demo.local')}`;
    const refused = await t.http.get(`${REGIOPOL}/rahmenkonzept`).set('Cookie', editor);
    expect(refused.status).toBe(403);
    expect(mainOf(refused.text)).toContain('an die koordinierende Stelle des Plans');
    expect(mainOf(refused.text)).not.toMatch(BREMEN_WORDS);
  });

  it("keeps Bremen's texts on the same pages", async () => {
    const bremen = await t.dataSource.getRepository(Framework).findOneByOrFail({ code: 'bremen-rk-2021' });
    // Bremen's example cycles (the Regiopolregion's cycle above may have the same code).
    const [collecting, reviewing] = await Promise.all(
      ['2026-2027', '2024-2025'].map((code) =>
        t.dataSource.getRepository(ReportingCycle).findOneByOrFail({ code, frameworkId: bremen.id }),
      ),
    );
    const review = mainOf(await get(`${BREMEN}/berichtszyklen/${collecting.id}/uebergang?nach=reviewing`));
    expect(review).toContain(
      'Die Erfassung endet: die Koordinierungsstelle prüft die eingegangenen Meldungen',
    );
    const close = mainOf(await get(`${BREMEN}/berichtszyklen/${reviewing.id}/uebergang?nach=closed`));
    expect(close).toContain(
      'Der Stand jeder Maßnahme wird eingefroren: ihre letzte angenommene Meldung im Zeitraum',
    );
    expect(close).toContain('Der Umsetzungsbericht wird danach immer aus diesem eingefrorenen Stand erzeugt');
    expect(mainOf(await get(`${BREMEN}/berichtszyklen/neu`))).toContain('bis dahin melden die Ressorts');
    expect(mainOf(await get(`${BREMEN}/rahmenkonzept?erfolg=einstellungen&version=1`))).toMatch(
      /Einstellung gespeichert: das Budget der Maßnahmen (ist öffentlich|bleibt intern)\./,
    );

    const measure = (
      await t.dataSource.getRepository(Measure).find({
        where: { frameworkId: collecting.frameworkId, lifecycle: 'active' },
        order: { code: 'ASC' },
        take: 1,
      })
    )[0];
    const detail = mainOf(await get(`${BREMEN}/massnahmen/${measure.id}?meldung=geaendert`));
    expect(detail).toContain(`Maßnahme ${measure.code} gespeichert`);
    expect(detail).toContain('Lebenszyklus (Koordinierungsstelle)');
    expect(detail).toContain('Danach nimmt die Maßnahme keine Sachstandsmeldungen mehr an');
    expect(detail).toContain('Aufgehen in (aktive Maßnahme)');
    expect(detail).toContain('erscheint in den Änderungen der Maßnahme');
    const framework = mainOf(await get(`${BREMEN}/rahmenkonzept`));
    expect(framework).toContain(
      'bei Teilung eine Zeile je aktiver oder eingestellter Maßnahme: Maßnahme → neuer Code des Handlungsfelds oder Ressorts, wahlweise → neuer Code der Maßnahme, zum Beispiel 3.11-01 → 3.16',
    );
    expect(framework).toContain(
      'bei Teilung eines Ressorts eine Zeile je Konto: E-Mail → neuer Ressort-Code',
    );
    expect(framework).toContain('zum Beispiel der Senatsbeschluss');
    expect(await get(`${BREMEN}/rahmenkonzept`)).toContain('>Ressort geteilt</option>');
    expect(mainOf(await get(`${BREMEN}/auftraege`))).toContain(
      'Große Berichte und große Maßnahmenpläne werden als Auftrag im Hintergrund bearbeitet; hier steht, wie weit sie sind. Die Koordinierungsstelle sieht die Aufträge aller Konten.',
    );
    const meeting = mainOf(await get(`${BREMEN}/gremien/sitzungen/neu`));
    expect(meeting).toContain('Teilnehmende Ressorts');
    const decision = mainOf(await get(`${BREMEN}/gremien/beschluesse/neu`));
    expect(decision).toContain('Verantwortliches Ressort');
    expect(decision).toContain('Betroffene Maßnahmen');
  });
});
