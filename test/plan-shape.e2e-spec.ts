/**
 * A plan's own shape: its measure-code rule (with the example named in the error), its levels, its areas
 * (set on measures, listed, filtered, counted on the dashboard and in the report workbook), a body's cadence as
 * an interval in weeks (a 13-week gap is overdue, 11 weeks is not), participation formats on any body, and
 * members as persons by function on the Gremien page.
 */
import { AuditEntry } from '../src/audit/audit-entry.entity.js';
import { todayInBremen } from '../src/common/dates.js';
import { ActionField } from '../src/framework/action-field.entity.js';
import { Area } from '../src/framework/area.entity.js';
import { Goal } from '../src/framework/goal.entity.js';
import { GovernanceBody } from '../src/governance/governance-body.entity.js';
import { frameworkIds, type Ids, newMeasure } from './factories/measure.factory.js';
import { addPlan } from './factories/plan.factory.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { signInByForm } from './helpers/web-sign-in.js';
import { binaryParser, readWorkbook } from './helpers/workbooks.js';

interface FieldErrors {
  code: string;
  details: { field: string; messages: string[] }[];
}

interface CadenceRow {
  code: string;
  held: number;
  cadenceKind: string;
  intervalWeeksMin: number | null;
  intervalWeeksMax: number | null;
  longestGapWeeks: number | null;
  overdue: boolean;
  overdueLabel: string | null;
  label: string;
}

const DAY = 86_400_000;
const shift = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

function messagesOf(body: FieldErrors, field: string): string[] {
  return body.details.filter((d) => d.field === field).flatMap((d) => d.messages);
}

describe('a plan’s own shape', () => {
  let t: TestApp;
  let admin: string;
  let bremen: Ids;
  let bremenId: number;
  let plan: { id: number; goalId: number; fieldId: number; lead: number };
  let areas: Record<string, number>;
  let bodies: Record<string, number>;

  const post = (path: string, body: object) => t.http.post(path).auth(admin, { type: 'bearer' }).send(body);
  const get = (path: string) => t.http.get(path).auth(admin, { type: 'bearer' });
  const planMeasure = (overrides: Record<string, unknown>) =>
    newMeasure(
      { goals: { '2.1': plan.goalId, '2.2': plan.goalId }, fields: { '3.1': plan.fieldId }, departments: {} },
      {
        leadDepartmentId: plan.lead,
        goalIds: [plan.goalId],
        participatingDepartmentIds: [],
        targetGroups: [],
        level: 'bezirksregion',
        ...overrides,
      },
    );

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    bremen = await frameworkIds(t, admin);
    bremenId = ((await get('/api/frameworks').expect(200)).body as { id: number }[])[0].id;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('with Bremen alone', () => {
    it('the Gremien page lists a member that is a person by function, and the organisations by name', async () => {
      const manager = t.dataSource.manager;
      const body = await manager.findOneByOrFail(GovernanceBody, { code: 'steuerungsrunde' });
      body.members = [...body.members, { function: 'Vorsitzende des Rats für Integration' }];
      await manager.save(body);
      const session = await signInByForm(t.http, 'steuerung@demo.local');
      const page = await t.http.get('/gremien').set('Cookie', `rkm_session=${session}`).expect(200);
      expect(page.text).toContain('<h2 id="h-members" class="kern-heading-medium">Zusammensetzung</h2>');
      expect(page.text).toMatch(
        /<li>Vorsitzende des Rats für Integration <span class="hint">\(Person in ihrer Funktion\)<\/span><\/li>/,
      );
      expect(page.text).toContain('<li>Finanzen: Staatsrät*in</li>');
      expect(page.text).toContain('Beteiligungsformate: übergreifend, themenspezifisch');
      // The pages ignore a level the plan does not have, as they ignore any invalid filter.
      await t.http.get('/massnahmen?level=mond').set('Cookie', `rkm_session=${session}`).expect(200);
      await t.http.get('/?level=mond').set('Cookie', `rkm_session=${session}`).expect(200);
      // The API lists the person without an organisation.
      const listed = (await get('/api/governance/bodies').expect(200)).body as {
        code: string;
        members: { departmentCode?: string | null; function: string }[];
      }[];
      expect(listed.find((b) => b.code === 'steuerungsrunde')!.members.at(-1)).toEqual({
        function: 'Vorsitzende des Rats für Integration',
      });
    });

    it('Bremen keeps its code rule: "3.1-04" is accepted, "MOB-01" refused naming Bremen’s example', async () => {
      await post('/api/measures', newMeasure(bremen, { code: '3.1-94' })).expect(201);
      const refused = await post('/api/measures', newMeasure(bremen, { code: 'MOB-01' })).expect(400);
      expect(messagesOf(refused.body as FieldErrors, 'code')).toEqual([
        'Kürzel muss dem Muster des Plans folgen, z. B. 3.1-04',
      ]);
      // Characters no code may hold are refused by the body's own check.
      const odd = await post('/api/measures', newMeasure(bremen, { code: '3.1 04<' })).expect(400);
      expect(messagesOf(odd.body as FieldErrors, 'code').join()).toMatch(/Buchstaben, Ziffern/);
    });

    it('Bremen’s participation formats: "themenspezifisch" and the former code are accepted, "Fachtag" refused', async () => {
      const list = (await get('/api/governance/bodies').expect(200)).body as {
        id: number;
        code: string;
        participationFormats: string[] | null;
      }[];
      const formats = list.find((b) => b.code === 'beteiligungsformate')!;
      expect(formats.participationFormats).toEqual(['übergreifend', 'themenspezifisch']);
      const meeting = (
        await post('/api/meetings', {
          bodyId: formats.id,
          date: '2025-05-05',
          title: 'Fachforum übergreifend',
          participationType: 'uebergreifend',
        }).expect(201)
      ).body as { participationType: string };
      expect(meeting.participationType).toBe('übergreifend');
      const refused = await post('/api/meetings', {
        bodyId: formats.id,
        date: '2025-05-06',
        title: 'Fachtag',
        participationType: 'Fachtag',
      }).expect(400);
      expect(messagesOf(refused.body as FieldErrors, 'participationType')).toEqual([
        '„Fachtag“ ist kein Format des Gremiums Beteiligungsformate; erlaubt: übergreifend, themenspezifisch',
      ]);
    });
  });

  describe('a second plan with its own shape', () => {
    beforeAll(async () => {
      const manager = t.dataSource.manager;
      const framework = await addPlan(manager, {
        code: 'mobil-test',
        name: 'Handlungsprogramm Mobilität',
        region: 'Regiopolregion',
        measureCodePattern: '[A-Z]{2,4}-\\d{2}',
        measureCodeExample: 'MOB-01',
        levels: [
          { code: 'bezirksregion', name: 'Bezirksregion' },
          { code: 'stadt', name: 'Gesamtstadt' },
        ],
      });
      const goal = await manager.save(
        manager.create(Goal, {
          frameworkId: framework.id,
          code: 'Z1',
          title: 'Mobil bleiben',
          description: '',
        }),
      );
      const field = await manager.save(
        manager.create(ActionField, {
          frameworkId: framework.id,
          code: 'H1',
          title: 'Wege',
          description: '',
        }),
      );
      areas = {};
      for (const [i, [code, name]] of [
        ['mitte', 'Mitte'],
        ['nord', 'Nord'],
        ['sued', 'Süd'],
      ].entries()) {
        const area = await manager.save(
          manager.create(Area, {
            frameworkId: framework.id,
            code,
            name,
            levelCode: 'bezirksregion',
            sortOrder: i,
          }),
        );
        areas[code] = area.id;
      }
      bodies = {};
      const body = (code: string, extra: Partial<GovernanceBody>) =>
        manager.save(
          manager.create(GovernanceBody, {
            frameworkId: framework.id,
            code,
            name: `Runde ${code}`,
            description: '',
            minMeetingsPerYear: 0,
            maxMeetingsPerYear: null,
            intervalWeeksMin: 10,
            intervalWeeksMax: 12,
            members: [],
            participationFormats: null,
            sortOrder: 1,
            ...extra,
          }),
        );
      bodies.lenkung = (
        await body('lenkung', {
          name: 'Lenkungskreis',
          members: [
            { function: 'Oberbürgermeister der Stadt Bielefeld' },
            { departmentCode: 'ASJI', function: 'Staatsrätin' },
          ],
          participationFormats: ['Webinar', 'Workshop'],
        })
      ).id;
      bodies.late = (await body('spaet', {})).id;
      bodies.gap = (await body('luecke', {})).id;
      bodies.plain = (
        await body('schlicht', { intervalWeeksMin: null, intervalWeeksMax: null, minMeetingsPerYear: 1 })
      ).id;
      plan = { id: framework.id, goalId: goal.id, fieldId: field.id, lead: bremen.departments.ASJI };
    });

    it('a code follows the plan’s rule: "MOB-01" accepted here, "3.1-04" refused naming "MOB-01"', async () => {
      const created = await post('/api/measures', planMeasure({ code: 'MOB-01' })).expect(201);
      expect(created.body).toMatchObject({ code: 'MOB-01', frameworkId: plan.id, level: 'bezirksregion' });
      const refused = await post('/api/measures', planMeasure({ code: '3.1-04' })).expect(400);
      expect(messagesOf(refused.body as FieldErrors, 'code')).toEqual([
        'Kürzel muss dem Muster des Plans folgen, z. B. MOB-01',
      ]);
      // A change of code is held to the same rule.
      const patched = await t.http
        .patch(`/api/measures/${(created.body as { id: number }).id}`)
        .auth(admin, { type: 'bearer' })
        .send({ version: (created.body as { version: number }).version, code: '3.1-05' })
        .expect(400);
      expect(messagesOf(patched.body as FieldErrors, 'code')).toEqual([
        'Kürzel muss dem Muster des Plans folgen, z. B. MOB-01',
      ]);
    });

    it('a level must be one of the plan’s levels', async () => {
      const refused = await post('/api/measures', planMeasure({ code: 'MOB-02', level: 'bremen' })).expect(
        400,
      );
      expect(messagesOf(refused.body as FieldErrors, 'level')).toEqual([
        'unbekannte Ebene „bremen“; erlaubt: bezirksregion (Bezirksregion), stadt (Gesamtstadt)',
      ]);
      const bremenRefused = await post(
        '/api/measures',
        newMeasure(bremen, { code: '3.1-95', level: 'bezirksregion' }),
      ).expect(400);
      expect(messagesOf(bremenRefused.body as FieldErrors, 'level')[0]).toMatch(
        /^unbekannte Ebene „bezirksregion“; erlaubt: land \(Land Bremen\)/,
      );
      await post('/api/measures', planMeasure({ code: 'MOB-02', level: 'stadt' })).expect(201);
      const listed = (await get(`/api/measures?frameworkId=${plan.id}&level=stadt`).expect(200)).body as {
        items: { code: string }[];
      };
      expect(listed.items.map((m) => m.code)).toEqual(['MOB-02']);
    });

    it('measures name the plan’s areas: set, listed, filtered, changed with an audit entry; another plan’s refused', async () => {
      const listedAreas = (await get(`/api/areas?frameworkId=${plan.id}`).expect(200)).body as {
        code: string;
        name: string;
      }[];
      expect(listedAreas.map((a) => [a.code, a.name])).toEqual([
        ['mitte', 'Mitte'],
        ['nord', 'Nord'],
        ['sued', 'Süd'],
      ]);
      expect((await get(`/api/areas?frameworkId=${bremenId}`).expect(200)).body).toEqual([]);

      const created = (
        await post(
          '/api/measures',
          planMeasure({ code: 'MOB-03', areaIds: [areas.nord, areas.mitte] }),
        ).expect(201)
      ).body as { id: number; version: number; areaIds: number[]; areas: { code: string; name: string }[] };
      expect(created.areas.map((a) => a.code)).toEqual(['mitte', 'nord']);
      expect(created.areaIds).toEqual([areas.mitte, areas.nord].sort((a, b) => a - b));
      await post('/api/measures', planMeasure({ code: 'MOB-04', areaIds: [areas.sued] })).expect(201);

      const inNord = (await get(`/api/measures?frameworkId=${plan.id}&areaId=${areas.nord}`).expect(200))
        .body as { items: { code: string }[] };
      expect(inNord.items.map((m) => m.code)).toEqual(['MOB-03']);

      // A Bremen measure cannot name the other plan's area.
      const foreign = await post(
        '/api/measures',
        newMeasure(bremen, { code: '3.1-96', areaIds: [areas.mitte] }),
      ).expect(400);
      expect(messagesOf(foreign.body as FieldErrors, 'areaIds')).toEqual([
        `Gebiet(e) ${areas.mitte}: dieser Plan hat keine Gebiete`,
      ]);

      const changed = (
        await t.http
          .patch(`/api/measures/${created.id}`)
          .auth(admin, { type: 'bearer' })
          .send({ version: created.version, areaIds: [areas.sued] })
          .expect(200)
      ).body as { areas: { code: string }[] };
      expect(changed.areas.map((a) => a.code)).toEqual(['sued']);
      const audit = await t.dataSource.manager.find(AuditEntry, {
        where: { entity: 'Measure', entityId: String(created.id) },
        order: { id: 'ASC' },
      });
      expect(audit.map((e) => e.changes.areaIds).filter(Boolean)).toEqual([
        { from: null, to: [areas.mitte, areas.nord].sort((a, b) => a - b) },
        { from: [areas.mitte, areas.nord].sort((a, b) => a - b), to: [areas.sued] },
      ]);
    });

    it('the dashboard counts the plan’s measures by area', async () => {
      const dashboard = (await get(`/api/dashboard?frameworkId=${plan.id}`).expect(200)).body as {
        byArea: { code: string; total: number }[];
      };
      expect(dashboard.byArea.map((a) => [a.code, a.total])).toEqual([
        ['mitte', 0],
        ['nord', 0],
        ['sued', 2],
      ]);
      const bremenDashboard = (await get(`/api/dashboard?frameworkId=${bremenId}`).expect(200)).body as {
        byArea: unknown[];
      };
      expect(bremenDashboard.byArea).toEqual([]);
    });

    it('the report workbook has a sheet by area when the plan has areas', async () => {
      const cycle = (
        await post('/api/reporting-cycles', {
          frameworkId: plan.id,
          code: '2024-2025',
          name: 'Bericht 2024–2025',
          periodStart: '2024-01-01',
          periodEnd: '2025-12-31',
          inputDeadline: '2025-12-31',
        }).expect(201)
      ).body as { id: number };
      const res = await t.http
        .post(`/api/reporting-cycles/${cycle.id}/report`)
        .auth(admin, { type: 'bearer' })
        .buffer(true)
        .parse(binaryParser)
        .expect(200);
      const workbook = await readWorkbook(res.body as Buffer);
      const names = workbook.worksheets.map((w) => w.name);
      expect(names.slice(0, 5)).toEqual(['Übersicht', 'Ziele', 'Handlungsfelder', 'Ressorts', 'Gebiete']);
      const sheet = workbook.getWorksheet('Gebiete')!;
      const rows: [string, unknown][] = [];
      sheet.eachRow((row, n) => {
        if (n > 1) rows.push([String(row.getCell(2).value), row.getCell(3).value]);
      });
      const byName = Object.fromEntries(rows.filter(([name]) => /Mitte|Nord|Süd/.test(name)));
      expect(Object.keys(byName)).toHaveLength(3);
      // A formula's stored result (exceljs stores none for a result of 0).
      const total = (v: unknown): unknown =>
        v && typeof v === 'object' && 'formula' in v ? ((v as { result?: unknown }).result ?? 0) : v;
      expect(Object.entries(byName).map(([name, v]) => [name, total(v)])).toEqual([
        ['Mitte', 0],
        ['Nord', 0],
        ['Süd', 2],
      ]);
      // The Gremien sheet names the members: a person by function, an organisation with its function.
      const members: string[] = [];
      workbook.getWorksheet('Gremien')!.eachRow((row) => {
        const member = row.getCell(2).value;
        // The cadence rows name the body too, with a year.
        if (row.getCell(1).value === 'Lenkungskreis' && typeof member === 'string') members.push(member);
      });
      expect(members).toEqual(['Oberbürgermeister der Stadt Bielefeld', 'ASJI (Staatsrätin)']);
      // The measure rows name the plan's levels by their names.
      const measures = workbook.getWorksheet('Maßnahmen')!;
      const levels: string[] = [];
      measures.eachRow((row, n) => {
        if (n > 1) levels.push(String(row.getCell(7).value));
      });
      expect([...new Set(levels)].sort()).toEqual(['Bezirksregion', 'Gesamtstadt']);
    });

    it('a cadence in weeks: 11 weeks since the last meeting is kept, 13 weeks is overdue', async () => {
      const today = todayInBremen();
      const year = Number(today.slice(0, 4));
      // Every 11 weeks back to before the year began, the last one 11 (or 13) weeks ago.
      const every11 = (lastAgo: number): string[] => {
        const days: string[] = [];
        for (let day = shift(today, -lastAgo); day >= `${year - 1}-12-01`; day = shift(day, -77))
          days.push(day);
        return days;
      };
      for (const date of every11(77)) {
        await post('/api/meetings', { bodyId: bodies.lenkung, date, title: 'Lenkungskreis' }).expect(201);
      }
      for (const date of every11(91)) {
        await post('/api/meetings', { bodyId: bodies.late, date, title: 'Sitzung' }).expect(201);
      }
      const cadence = (await get(`/api/governance/cadence?year=${year}&frameworkId=${plan.id}`).expect(200))
        .body as CadenceRow[];
      const row = (code: string) => cadence.find((c) => c.code === code)!;
      expect(row('lenkung')).toMatchObject({
        cadenceKind: 'intervalWeeks',
        intervalWeeksMin: 10,
        intervalWeeksMax: 12,
        longestGapWeeks: 11,
        overdue: false,
        overdueLabel: null,
      });
      expect(row('spaet')).toMatchObject({
        longestGapWeeks: 13,
        overdue: true,
        overdueLabel: 'überfällig: 13 Wochen seit der letzten Sitzung, vorgesehen alle 10–12 Wochen',
      });
      expect(row('schlicht')).toMatchObject({ cadenceKind: 'perYear', overdue: false, overdueLabel: null });
    });

    it('a 13-week gap between two meetings of a past year is overdue', async () => {
      const year = Number(todayInBremen().slice(0, 4)) - 1;
      const dates: string[] = [];
      // Every 11 weeks through the year, once 13 weeks, the last one within 11 weeks of the year's end.
      let day = `${year - 1}-12-20`;
      for (let i = 0; day <= `${year}-12-31`; i++) {
        dates.push(day);
        day = shift(day, i === 2 ? 91 : 77);
      }
      for (const date of dates) {
        await post('/api/meetings', { bodyId: bodies.gap, date, title: 'Sitzung' }).expect(201);
      }
      const cadence = (await get(`/api/governance/cadence?year=${year}&frameworkId=${plan.id}`).expect(200))
        .body as CadenceRow[];
      const row = cadence.find((c) => c.code === 'luecke')!;
      const german = (iso: string) => iso.split('-').reverse().join('.');
      expect(row).toMatchObject({
        longestGapWeeks: 13,
        overdue: true,
        overdueLabel: `überfällig: 13 Wochen zwischen den Sitzungen am ${german(dates[2])} und ${german(dates[3])}, vorgesehen alle 10–12 Wochen`,
      });
    });

    it('participation formats on any body: a Webinar is accepted, "Fachtag" refused with the list', async () => {
      const webinar = (
        await post('/api/meetings', {
          bodyId: bodies.lenkung,
          date: '2025-06-02',
          title: 'Webinar Radverkehr',
          participationType: 'Webinar',
          participantCount: 40,
          topicActionFieldIds: [plan.fieldId],
        }).expect(201)
      ).body as { participationType: string; participantCount: number };
      expect(webinar).toMatchObject({ participationType: 'Webinar', participantCount: 40 });
      const refused = await post('/api/meetings', {
        bodyId: bodies.lenkung,
        date: '2025-06-03',
        title: 'Fachtag Radverkehr',
        participationType: 'Fachtag',
      }).expect(400);
      expect(messagesOf(refused.body as FieldErrors, 'participationType')).toEqual([
        '„Fachtag“ ist kein Format des Gremiums Lenkungskreis; erlaubt: Webinar, Workshop',
      ]);
    });

    it('participation fields on a body without formats are refused', async () => {
      const refused = await post('/api/meetings', {
        bodyId: bodies.plain,
        date: '2025-06-04',
        title: 'Sitzung',
        participationType: 'Webinar',
        participantCount: 12,
      }).expect(400);
      expect(messagesOf(refused.body as FieldErrors, 'participationType')).toEqual([
        'nur bei Beteiligungsformaten möglich: Runde schlicht hat keine Formate',
      ]);
      expect(messagesOf(refused.body as FieldErrors, 'participantCount')).toHaveLength(1);
    });

    it('the API lists the body’s members: a person by function and an organisation', async () => {
      const list = (await get(`/api/governance/bodies?frameworkId=${plan.id}`).expect(200)).body as {
        code: string;
        members: unknown[];
        participationFormats: string[];
        intervalWeeksMax: number;
      }[];
      expect(list.find((b) => b.code === 'lenkung')).toMatchObject({
        members: [
          { function: 'Oberbürgermeister der Stadt Bielefeld' },
          { departmentCode: 'ASJI', function: 'Staatsrätin' },
        ],
        participationFormats: ['Webinar', 'Workshop'],
        intervalWeeksMax: 12,
      });
    });
  });
});
