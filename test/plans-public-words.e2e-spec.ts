/**
 * The public pages, the open data's CSV and the published document speak the words of the plan they are about:
 * a second plan with its own vocabulary (Leitziel, Themenfeld, Projekt, Organisation, Sachstandsbericht) has
 * its charts, lists, measure pages, CSV headers and file names in those words; the Bremen plan's stay as they
 * were.
 */
import { ActionField } from '../src/framework/action-field.entity.js';
import { Goal } from '../src/framework/goal.entity.js';
import { frameworkIds, type Ids, newMeasure } from './factories/measure.factory.js';
import { addPlan, OWN_WORDS } from './factories/plan.factory.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { binaryParser } from './helpers/workbooks.js';

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

/** The Bremen words as they stand in a page's text (not in an address: /massnahmen, ?handlungsfeld=). */
const BREMEN_WORDS = ['Maßnahme', 'Handlungsfeld', 'Ressort', 'Umsetzungsbericht', 'Rahmenkonzept'];

/** The visible text and attributes of a page, without its addresses. */
const withoutAddresses = (html: string): string => html.replace(/(href|action)="[^"]*"/g, '');

describe("public pages and open data in the plan's words", () => {
  let t: TestApp;
  let admin: string;
  let ids: Ids;
  let bremen: { code: string; cycle: Cycle };
  let plan: { code: string; cycle: Cycle };

  const get = (path: string) => t.http.get(path).auth(admin, { type: 'bearer' });
  const post = (path: string, body: object) => t.http.post(path).auth(admin, { type: 'bearer' }).send(body);

  async function publish(cycle: Cycle): Promise<Cycle> {
    let current = cycle;
    const steps = ['planned', 'collecting', 'reviewing', 'closed', 'published'];
    for (const to of steps.slice(steps.indexOf(cycle.state) + 1)) {
      const res = await post(`/api/reporting-cycles/${current.id}/transition`, {
        to,
        version: current.version,
      });
      if (res.status !== 200)
        throw new Error(`${current.code} → ${to}: ${res.status} ${JSON.stringify(res.body)}`);
      current = res.body as Cycle;
    }
    return current;
  }

  /** The page's text must hold every one of `words` and none of the Bremen words. */
  function expectWords(page: string, html: string, words: string[]): void {
    const text = withoutAddresses(html);
    for (const word of words)
      expect({ page, word, found: text.includes(word) }).toEqual({ page, word, found: true });
    for (const word of BREMEN_WORDS)
      expect({ page, word, found: text.includes(word) }).toEqual({ page, word, found: false });
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    ids = await frameworkIds(t, admin);
    const framework = (await get('/api/framework').expect(200)).body as { id: number; code: string };
    const cycles = (await get(`/api/reporting-cycles?frameworkId=${framework.id}`).expect(200))
      .body as Cycle[];
    // The example data's published cycle.
    bremen = { code: framework.code, cycle: cycles.find((c) => c.state === 'published')! };

    const manager = t.dataSource.manager;
    const second = await addPlan(manager, {
      code: 'worte-test',
      name: 'Handlungsprogramm Wortregion',
      region: 'Wortregion',
      targetGroups: ['Frauen'],
      vocabulary: OWN_WORDS,
    });
    const goal = await manager.save(
      manager.create(Goal, { frameworkId: second.id, code: '2.1', title: 'Teilhabe', description: '' }),
    );
    const field = await manager.save(
      manager.create(ActionField, { frameworkId: second.id, code: '3.1', title: 'Sprache', description: '' }),
    );
    await post(
      '/api/measures',
      newMeasure(
        { ...ids, goals: { '2.1': goal.id }, fields: { '3.1': field.id } },
        {
          code: '3.1-71',
          title: 'Sprachkurs Wortregion',
          plannedStart: '2022-01-01',
          goalIds: [goal.id],
          actionFieldId: field.id,
          participatingDepartmentIds: [],
          targetGroups: ['Frauen'],
        },
      ),
    ).expect(201);
    const { code, periodStart, periodEnd, inputDeadline } = bremen.cycle;
    const cycle = (
      await post('/api/reporting-cycles', {
        frameworkId: second.id,
        code,
        name: `Bericht ${code}`,
        periodStart,
        periodEnd,
        inputDeadline,
      }).expect(201)
    ).body as Cycle;
    plan = { code: second.code, cycle: await publish(cycle) };
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("the second plan's public pages speak its words", async () => {
    const base = `/oeffentlich/${plan.code}/${plan.cycle.code}`;
    expectWords('Plan', (await t.http.get(`/oeffentlich/${plan.code}`).expect(200)).text, [
      'Sachstandsberichte und offene Daten',
      '1 Projekte',
    ]);
    expectWords('Übersicht', (await t.http.get(base).expect(200)).text, [
      '</strong> Projekte',
      'Stand nach Leitzielen',
      'Stand nach Themenfeldern',
      'Stand nach Organisationen',
      'Projekte nach Status und Leitzielen',
      '>Leitziel</th>',
      'Alle 1 Projekte mit Sachstand',
      'Projekte als CSV',
      'Sachstandsbericht als Dokument',
    ]);
    expectWords('Liste', (await t.http.get(`${base}/massnahmen`).expect(200)).text, [
      `<title>Projekte ${plan.cycle.name}`,
      `Projekte – ${plan.cycle.name}`,
      '>Leitziel</label>',
      '>Themenfeld</label>',
      '>Federführung (Organisation)</label>',
      '1 Projekt.',
      '>Projekt</th>',
      '>Themenfeld</th>',
    ]);
    expectWords('Projekt', (await t.http.get(`${base}/massnahmen/3.1-71`).expect(200)).text, [
      '<dt>Themenfeld</dt>',
      '<dt>Leitziele</dt>',
      'Eckdaten',
      '>Projekte</a>',
      'Zur Liste der Projekte',
    ]);
  });

  it("the second plan's CSV has its words in the headers and the file name; Bremen's keeps its own", async () => {
    const res = await t.http
      .get(`/api/public/cycles/${plan.cycle.code}/measures.csv?plan=${plan.code}`)
      .expect(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="projekte-${plan.cycle.code}.csv"`);
    const [header] = res.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(header.split(';')).toEqual(
      expect.arrayContaining([
        'Themenfeld',
        'Themenfeld (Titel)',
        'Leitziele',
        'Federführung (Organisation)',
        'Beteiligte Organisationen',
        'Plan',
      ]),
    );
    for (const word of BREMEN_WORDS)
      expect({ word, found: header.includes(word) }).toEqual({ word, found: false });
    const own = await t.http
      .get(`/api/public/cycles/${bremen.cycle.code}/measures.csv?plan=${bremen.code}`)
      .expect(200);
    expect(own.headers['content-disposition']).toBe(
      `attachment; filename="massnahmen-${bremen.cycle.code}.csv"`,
    );
    expect(own.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(
      /^Code;Titel;Beschreibung;Handlungsfeld;Handlungsfeld \(Titel\);Ziele;Federführendes Ressort;Beteiligte Ressorts;Ebene;Status;.*;Berichtszyklus;Berichtszeitraum;Rahmenkonzept;Herausgeber;/,
    );
  });

  it("the second plan's published document is named with its report word", async () => {
    await post(`/api/reporting-cycles/${plan.cycle.id}/report?format=docx`, {}).expect(200);
    const res = await t.http
      .get(`/oeffentlich/${plan.code}/${plan.cycle.code}/umsetzungsbericht.docx`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(res.headers['content-disposition']).toBe(
      `inline; filename="Sachstandsbericht-${plan.code}-${plan.cycle.code}.docx"`,
    );
  });

  it("Bremen's public pages keep the Bremen words; the index of both plans names neither's", async () => {
    const overview = (await t.http.get(`/oeffentlich/${bremen.code}/${bremen.cycle.code}`).expect(200)).text;
    for (const phrase of [
      'Umsetzungsberichte und offene Daten',
      'Stand nach Zielen',
      'Stand nach Handlungsfeldern',
      'Stand nach Ressorts',
      'Maßnahmen nach Status und Zielen',
      'Umsetzungsbericht als Dokument',
    ])
      expect({ phrase, found: overview.includes(phrase) }).toEqual({ phrase, found: true });
    const list = (await t.http.get(`/oeffentlich/${bremen.code}/${bremen.cycle.code}/massnahmen`).expect(200))
      .text;
    expect(list).toContain('>Federführendes Ressort</label>');
    expect(list).toContain('>Handlungsfeld</th>');
    const index = (await t.http.get('/oeffentlich').expect(200)).text;
    expect(index).toContain('Berichte und offene Daten');
    expect(index).not.toContain('Umsetzungsberichte und offene Daten');
    expect(index).toMatch(/· [\d.]+ Maßnahmen</);
    expect(index).toContain('· 1 Projekte<');
  });
});
