/**
 * The Umsetzungsbericht, read back: sheets, headers, formulas that agree with the database, frozen panes,
 * filters, print setup, status colours, document properties, Beispieldaten and Entwurf markers, the same
 * content every time for a closed cycle, the list of generated files with their checksums.
 */
import { createHash } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { frameworkIds, newReport } from './factories/measure.factory.js';
import { createTestApp, type TestApp, TMP_DIR } from './helpers/test-app.js';
import { binaryParser, headerRow, readWorkbook, sheetValues } from './helpers/workbooks.js';

const SHEETS = [
  'Übersicht',
  'Ziele',
  'Handlungsfelder',
  'Ressorts',
  'Maßnahmen',
  'Indikatoren',
  'Gremien',
  'Beschlüsse',
  'Änderungen',
];

/** The status columns of a summary sheet, by their German headers. */
const STATUS_BY_HEADER: Record<string, string> = {
  geplant: 'planned',
  'in Umsetzung': 'in_progress',
  Daueraufgabe: 'ongoing',
  umgesetzt: 'completed',
  verzögert: 'delayed',
  eingestellt: 'discontinued',
  'keine Meldung': 'none',
};
const STATUS_KEYS = Object.values(STATUS_BY_HEADER);

type GroupCounts = Record<string, number>;
interface DashboardGroup {
  code: string;
  total: number;
  counts: Record<string, number>;
}

/** A cell's number; a formula by its stored result (exceljs stores none for a result of 0). */
function cellNumber(value: unknown): number {
  if (value !== null && typeof value === 'object' && 'formula' in value)
    return Number((value as { result?: unknown }).result ?? 0);
  return Number(value);
}

/** A summary sheet (Ziele, Handlungsfelder, Ressorts) read back: per group code its total and counts per status, and the Summe row. */
function summarySheet(sheet: ExcelJS.Worksheet): { groups: Record<string, GroupCounts>; sums: GroupCounts } {
  const [header, ...rows] = sheetValues(sheet);
  expect(header[2]).toBe('Maßnahmen');
  const statusColumns = header.flatMap((label, column) =>
    STATUS_BY_HEADER[String(label)] ? [[STATUS_BY_HEADER[String(label)], column] as const] : [],
  );
  expect(statusColumns.map(([key]) => key).sort()).toEqual([...STATUS_KEYS].sort());
  const counts = (row: unknown[]): GroupCounts => ({
    total: cellNumber(row[2]),
    ...Object.fromEntries(statusColumns.map(([key, column]) => [key, cellNumber(row[column])])),
  });
  const sumRow = rows.findIndex((row) => row[1] === 'Summe');
  expect(sumRow).toBeGreaterThan(0);
  return {
    groups: Object.fromEntries(rows.slice(0, sumRow).map((row) => [String(row[0]), counts(row)])),
    sums: counts(rows[sumRow]),
  };
}

describe('Umsetzungsbericht', () => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  let cycles: Record<string, { id: number; state: string }>;

  beforeAll(async () => {
    t = await createTestApp({ REPORTS_DIR: `${TMP_DIR}/reports-${Date.now()}` });
    admin = await t.login('admin@demo.local');
    viewer = await t.login('steuerung@demo.local');
    const list = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' })).body as {
      id: number;
      code: string;
      state: string;
    }[];
    cycles = Object.fromEntries(list.map((c) => [c.code, c]));
  });
  afterAll(async () => {
    await t.close();
  });

  async function download(
    cycleId: number,
    token = admin,
  ): Promise<{ buffer: Buffer; workbook: ExcelJS.Workbook; fileName: string }> {
    const res = await t.http
      .post(`/api/reporting-cycles/${cycleId}/report`)
      .auth(token, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const fileName = /filename="([^"]+)"/.exec(String(res.headers['content-disposition']))![1];
    return { buffer: res.body as Buffer, workbook: await readWorkbook(res.body as Buffer), fileName };
  }

  it('has the nine sheets with German headers, frozen header rows, filters and print setup', async () => {
    const { workbook } = await download(cycles['2022-2023'].id);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(SHEETS);
    expect(headerRow(workbook.getWorksheet('Maßnahmen')!)).toEqual([
      'Code',
      'Maßnahme',
      'Handlungsfeld',
      'Ziele',
      'Federführung',
      'Beteiligte Ressorts',
      'Ebene',
      'Zielgruppen',
      'Beginn',
      'Ende',
      'Budget',
      'Lebenszyklus',
      'Status',
      'Fortschritt (%)',
      'Stand vom',
      'Sachstand',
      'Hindernisse',
      'Nächste Schritte',
      'Beispieldaten',
    ]);
    expect(headerRow(workbook.getWorksheet('Handlungsfelder')!)).toEqual([
      'Code',
      'Handlungsfeld',
      'Maßnahmen',
      'geplant',
      'in Umsetzung',
      'Daueraufgabe',
      'umgesetzt',
      'verzögert',
      'eingestellt',
      'keine Meldung',
      'Ø Fortschritt (%)',
    ]);
    for (const name of [
      'Ziele',
      'Handlungsfelder',
      'Ressorts',
      'Maßnahmen',
      'Indikatoren',
      'Gremien',
      'Änderungen',
    ]) {
      const sheet = workbook.getWorksheet(name)!;
      expect({ name, view: sheet.views[0] }).toMatchObject({ name, view: { state: 'frozen', ySplit: 1 } });
      expect({ name, filter: sheet.autoFilter }).toEqual({
        name,
        filter: expect.stringMatching(/^A1:[A-Z]+1$/),
      });
      expect({ name, setup: sheet.pageSetup }).toMatchObject({
        name,
        setup: {
          orientation: 'landscape',
          fitToPage: true,
          fitToWidth: 1,
          fitToHeight: 0,
          printTitlesRow: '1:1',
        },
      });
      expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(8);
    }
    // The Maßnahmen sheet is written before the summary sheets and moved behind them: the print titles
    // (kept by sheet position) still belong to the table sheets, not to the overview.
    expect(workbook.getWorksheet('Übersicht')!.pageSetup.printTitlesRow).toBeUndefined();
    const measures = workbook.getWorksheet('Maßnahmen')!;
    expect(measures.getCell('P2').alignment).toMatchObject({ wrapText: true });
    // Codes in the order of their numbers: 3.9 before 3.10.
    const codes = sheetValues(measures)
      .slice(1)
      .map((row) => String(row[0]));
    expect(codes.indexOf('3.9-01')).toBeGreaterThan(-1);
    expect(codes.indexOf('3.9-01')).toBeLessThan(codes.indexOf('3.10-01'));
    expect(codes.at(-1)).toMatch(/^3\.13-/);
    const formatting = (
      measures as unknown as { conditionalFormattings: { ref: string; rules: { formulae: string[] }[] }[] }
    ).conditionalFormattings;
    expect(formatting[0].ref).toMatch(/^M2:M\d+$/);
    expect(formatting[0].rules.map((r) => r.formulae[0])).toEqual(
      expect.arrayContaining(['"umgesetzt"', '"verzögert"', '"keine Meldung"', '"in Umsetzung"']),
    );
  });

  it('totals are formulas that agree with the listed rows and with the database', async () => {
    const cycle = cycles['2022-2023'];
    const { workbook } = await download(cycle.id);
    const rows = sheetValues(workbook.getWorksheet('Maßnahmen')!).slice(1);
    const statusCounts = new Map<string, number>();
    for (const row of rows) statusCounts.set(String(row[12]), (statusCounts.get(String(row[12])) ?? 0) + 1);
    const snapshot = (
      await t.http.get(`/api/reporting-cycles/${cycle.id}/snapshot`).auth(admin, { type: 'bearer' })
    ).body;
    const notMerged = snapshot.items.filter((i: { lifecycle: string }) => i.lifecycle !== 'merged');
    expect(rows).toHaveLength(notMerged.length);

    const overview = workbook.getWorksheet('Übersicht')!;
    const labels = [
      'geplant',
      'in Umsetzung',
      'Daueraufgabe',
      'umgesetzt',
      'verzögert',
      'eingestellt',
      'keine Meldung',
    ];
    let found = 0;
    overview.eachRow((row) => {
      const label = String(row.getCell(1).value);
      const value = row.getCell(2).value as { formula?: string; result?: number } | null;
      if (labels.includes(label)) {
        found++;
        expect(value?.formula).toBe(`COUNTIF(Maßnahmen!$M$2:$M$${rows.length + 1},"${label}")`);
        expect(value?.result ?? 0).toBe(statusCounts.get(label) ?? 0);
      }
      if (label === 'Maßnahmen gesamt') {
        expect(value?.formula).toMatch(/^SUM\(B\d+:B\d+\)$/);
        expect(value?.result).toBe(rows.length);
      }
    });
    expect(found).toBe(7);

    for (const name of ['Handlungsfelder', 'Ressorts']) {
      const values = sheetValues(workbook.getWorksheet(name)!);
      const sumRow = values.findIndex((r) => r[1] === 'Summe');
      const data = values.slice(1, sumRow);
      const total = values[sumRow][2] as { formula: string; result: number };
      expect(total.formula).toBe(`SUM(C2:C${sumRow})`);
      expect(total.result).toBe(rows.length);
      const perRow = data.map((r) => (r[2] as { result: number }).result);
      expect(perRow.reduce((a, b) => a + b, 0)).toBe(rows.length);
      for (const row of data) expect((row[2] as { formula: string }).formula).toMatch(/^SUM\(D\d+:J\d+\)$/);
    }
  });

  // The summary sheets and the dashboard must show the same numbers: group by group, status by status.
  it.each([
    ['a closed cycle', '2022-2023', true],
    ['an open cycle', '2024-2025', false],
  ])('summary sheets agree with the dashboard for every group and status: %s', async (_, code, closed) => {
    const cycle = cycles[code];
    expect(['closed', 'published'].includes(cycle.state)).toBe(closed);
    const { workbook } = await download(cycle.id);
    const dashboard = (
      await t.http.get(`/api/dashboard?cycleId=${cycle.id}`).auth(admin, { type: 'bearer' }).expect(200)
    ).body as Record<'byGoal' | 'byActionField' | 'byDepartment', DashboardGroup[]> & {
      totals: Omit<DashboardGroup, 'code'>;
      source?: { kind: string };
    };
    expect(dashboard.source?.kind).toBe(closed ? 'snapshot' : 'live');
    const asCounts = (group: Omit<DashboardGroup, 'code'>): GroupCounts => ({
      total: group.total,
      ...group.counts,
    });
    const fromDashboard = (groups: DashboardGroup[]): Record<string, GroupCounts> =>
      Object.fromEntries(groups.map((g) => [g.code, asCounts(g)]));
    for (const [sheet, key] of [
      ['Ziele', 'byGoal'],
      ['Handlungsfelder', 'byActionField'],
      ['Ressorts', 'byDepartment'],
    ] as const) {
      const { groups, sums } = summarySheet(workbook.getWorksheet(sheet)!);
      expect(Object.keys(groups).length).toBe(dashboard[key].length);
      expect({ sheet, groups }).toEqual({ sheet, groups: fromDashboard(dashboard[key]) });
      // A measure counts under each of its goals; fields and departments each hold it once.
      if (key !== 'byGoal') expect({ sheet, sums }).toEqual({ sheet, sums: asCounts(dashboard.totals) });
    }
    // Numbers worth comparing: measures in several groups and in several states.
    const counts = asCounts(dashboard.totals);
    expect(counts.total).toBeGreaterThan(5);
    expect(STATUS_KEYS.filter((k) => counts[k] > 0).length).toBeGreaterThanOrEqual(3);
    expect(dashboard.byActionField.filter((g) => g.total > 0).length).toBeGreaterThanOrEqual(3);
  });

  it('marks example data and names cycle, time and author in the document properties', async () => {
    const { workbook } = await download(cycles['2022-2023'].id);
    expect(workbook.title).toBe('Umsetzungsbericht 2022-2023');
    expect(workbook.subject).toMatch(/Berichtszyklus 2022-2023/);
    expect(workbook.keywords).toMatch(/Beispieldaten/);
    expect(workbook.description).toMatch(
      /Erstellt am .* von Koordinierungsstelle \(Demo\) <admin@demo\.local>/,
    );
    expect(workbook.created).toBeInstanceOf(Date);
    const overview = sheetValues(workbook.getWorksheet('Übersicht')!).flat().map(String);
    expect(overview.some((v) => v.startsWith('Beispieldaten:'))).toBe(true);
    expect(overview.some((v) => v.startsWith('ENTWURF'))).toBe(false);
    const rows = sheetValues(workbook.getWorksheet('Maßnahmen')!).slice(1);
    expect(rows.every((r) => r[18] === 'Beispieldaten')).toBe(true);
  });

  it('marks a report of an open cycle as Entwurf', async () => {
    const { workbook, fileName } = await download(cycles['2024-2025'].id);
    expect(fileName).toMatch(/^Umsetzungsbericht-2024-2025-Entwurf-/);
    expect(workbook.title).toBe('Umsetzungsbericht 2024-2025 (Entwurf)');
    const overview = sheetValues(workbook.getWorksheet('Übersicht')!).flat().map(String);
    expect(overview.some((v) => v.startsWith('ENTWURF'))).toBe(true);
  });

  it('builds the same content every time for a closed cycle, whatever changed since', async () => {
    const cycle = cycles['2022-2023'];
    const contentOf = (workbook: ExcelJS.Workbook): unknown =>
      workbook.worksheets.map((sheet) => [
        sheet.name,
        sheetValues(sheet).filter((row) => row?.[0] !== 'Erstellt'),
      ]);
    const first = contentOf((await download(cycle.id)).workbook);
    const ids = await frameworkIds(t, admin);
    const measures = (
      await t.http
        .get(`/api/measures?leadDepartmentId=${ids.departments.ASJI}&lifecycle=active&pageSize=1`)
        .auth(admin, { type: 'bearer' })
    ).body.items;
    await t.http
      .patch(`/api/measures/${measures[0].id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: measures[0].version, title: 'Nachträglich umbenannt' })
      .expect(200);
    await t.http
      .post(`/api/measures/${measures[0].id}/status-reports`)
      .auth(admin, { type: 'bearer' })
      .send(newReport({ status: 'completed', progress: 100 }))
      .expect(201);
    const second = contentOf((await download(cycle.id)).workbook);
    expect(second).toEqual(first);
  });

  it('lists generated files with cycle, author, time and checksum, downloadable again', async () => {
    const { buffer } = await download(cycles['2022-2023'].id);
    const list = (
      await t.http
        .get(`/api/reports?cycleId=${cycles['2022-2023'].id}`)
        .auth(viewer, { type: 'bearer' })
        .expect(200)
    ).body;
    const latest = list[0];
    expect(latest).toMatchObject({
      cycleCode: '2022-2023',
      generatedBy: 'admin@demo.local',
      draft: false,
      containsExampleData: true,
    });
    expect(latest.sha256).toBe(createHash('sha256').update(buffer).digest('hex'));
    const again = await t.http
      .get(`/api/reports/${latest.id}/download`)
      .auth(viewer, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(
      createHash('sha256')
        .update(again.body as Buffer)
        .digest('hex'),
    ).toBe(latest.sha256);
    await t.http.get('/api/reports/99999/download').auth(viewer, { type: 'bearer' }).expect(404);
  });

  it('only the coordinating unit generates reports', async () => {
    await t.http
      .post(`/api/reporting-cycles/${cycles['2022-2023'].id}/report`)
      .auth(viewer, { type: 'bearer' })
      .expect(403);
    await t.http.post('/api/reporting-cycles/999/report').auth(admin, { type: 'bearer' }).expect(404);
  });

  it('a GET builds no report: 405 naming the POST that does', async () => {
    const before = ((await t.http.get('/api/reports').auth(admin, { type: 'bearer' })).body as unknown[])
      .length;
    const id = cycles['2022-2023'].id;
    const res = await t.http
      .get(`/api/reporting-cycles/${id}/report`)
      .auth(admin, { type: 'bearer' })
      .expect(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body).toMatchObject({ code: 'REPORT.USE_POST' });
    expect((res.body as { message: string }).message).toContain(`POST /api/reporting-cycles/${id}/report`);
    expect(
      ((await t.http.get('/api/reports').auth(admin, { type: 'bearer' })).body as unknown[]).length,
    ).toBe(before);
  });
});
