/**
 * The Umsetzungsbericht as a document: PDF (printed by Chromium from an accessible HTML rendition) and DOCX,
 * built from the same snapshot and counted by the same rules as the workbook. Read back with pdftotext and
 * pdfinfo (poppler-utils) and from the DOCX's XML: headings, every measure and the totals of the workbook of
 * the same cycle; Entwurf marks on a draft; the history with the format and the checksum of the bytes; the
 * public download of a published cycle's document.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import JSZip from 'jszip';
import { ADMIN_EMAIL, ADMIN_PASSWORD, editorOf, PRODUCTION_SETTINGS } from './factories/accounts.factory.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { docxParts, poppler, styled } from './helpers/documents.js';
import { createTestApp, type TestApp, testDatabasePath, TMP_DIR } from './helpers/test-app.js';
import { binaryParser, readWorkbook, sheetValues } from './helpers/workbooks.js';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Cycle {
  id: number;
  code: string;
  state: string;
  version: number;
}

const sha256 = (buffer: Buffer): string => createHash('sha256').update(buffer).digest('hex');

describe('Umsetzungsbericht als PDF und DOCX', () => {
  let t: TestApp;
  let admin: string;
  let editor: string;
  let ids: Ids;
  let cycle: Cycle;
  let planCode: string;
  const CODES = ['3.1-D1', '3.4-D2', '3.4-D3', '3.13-D4'];

  const as = (token: string) => ({
    get: (url: string) => t.http.get(url).auth(token, { type: 'bearer' }),
    post: (url: string, body: object = {}) => t.http.post(url).auth(token, { type: 'bearer' }).send(body),
  });

  async function move(to: string): Promise<void> {
    const res = await as(admin).post(`/api/reporting-cycles/${cycle.id}/transition`, {
      to,
      version: cycle.version,
    });
    if (res.status !== 200) throw new Error(`${to}: ${res.status} ${JSON.stringify(res.body)}`);
    cycle = res.body as Cycle;
  }

  async function build(
    format: 'xlsx' | 'pdf' | 'docx',
    token = admin,
  ): Promise<{ buffer: Buffer; type: string; fileName: string }> {
    const res = await t.http
      .post(`/api/reporting-cycles/${cycle.id}/report?format=${format}`)
      .auth(token, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const fileName = /filename="([^"]+)"/.exec(String(res.headers['content-disposition']))![1];
    return { buffer: res.body as Buffer, type: String(res.headers['content-type']), fileName };
  }

  beforeAll(async () => {
    t = await createTestApp({ ...PRODUCTION_SETTINGS, REPORTS_DIR: `${TMP_DIR}/documents-${Date.now()}` });
    admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    ids = await frameworkIds(t, admin);
    editor = await editorOf(t, admin, ids.departments.ASJI, 'dokumente');
    planCode = ((await as(admin).get('/api/framework').expect(200)).body as { code: string }).code;
    cycle = ((await as(admin).get('/api/reporting-cycles').expect(200)).body as Cycle[]).find(
      (c) => c.code === '2024-2025',
    )!;
    const fields = ['3.1', '3.4', '3.4', '3.13'];
    const statuses = [['completed', 100], ['in_progress', 40], ['delayed', 20], null] as const;
    const measureIds: number[] = [];
    for (const [i, code] of CODES.entries()) {
      const res = await as(admin)
        .post(
          '/api/measures',
          newMeasure(ids, {
            code,
            title: `Maßnahme ${code} für die Dokumentprüfung`,
            actionFieldId: ids.fields[fields[i]],
            leadDepartmentId: ids.departments.ASJI,
          }),
        )
        .expect(201);
      measureIds.push((res.body as { id: number }).id);
    }
    await move('collecting');
    for (const [i, id] of measureIds.entries()) {
      const status = statuses[i];
      if (!status) continue;
      const report = (
        await as(editor)
          .post(
            `/api/measures/${id}/status-reports`,
            newReport({
              reportedAt: '2025-06-30',
              status: status[0],
              progress: status[1],
              summary: `Sachstand ${CODES[i]}: es geht voran.`,
            }),
          )
          .expect(201)
      ).body as { id: number };
      await as(admin).post(`/api/status-reports/${report.id}/review`, { decision: 'accept' }).expect(200);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('marks the documents of an open cycle as Entwurf', async () => {
    const pdf = await build('pdf');
    expect(pdf.type).toBe(PDF);
    expect(pdf.fileName).toMatch(/^Umsetzungsbericht-2024-2025-Entwurf-.*\.pdf$/);
    expect(poppler('pdftotext', pdf.buffer)).toMatch(/Entwurf/);
    const docx = await build('docx');
    expect(docx.type).toBe(DOCX);
    expect(docx.fileName).toMatch(/^Umsetzungsbericht-2024-2025-Entwurf-.*\.docx$/);
    expect((await docxParts(docx.buffer)).text).toMatch(/Entwurf/);
  });

  describe('of a closed cycle', () => {
    let workbookCodes: string[];
    let totals: Record<string, number>;

    beforeAll(async () => {
      await move('reviewing');
      await move('closed');
      const xlsx = await build('xlsx');
      expect(xlsx.type).toBe(XLSX);
      const workbook = await readWorkbook(xlsx.buffer);
      workbookCodes = sheetValues(workbook.getWorksheet('Maßnahmen')!)
        .slice(1)
        .map((row) => String(row[0]));
      totals = {};
      for (const row of sheetValues(workbook.getWorksheet('Übersicht')!)) {
        const value = row?.[1] as { result?: number } | number | undefined;
        if (value !== null && typeof value === 'object' && 'formula' in value)
          totals[String(row[0])] = Number(value.result ?? 0);
      }
    });

    it('the workbook of the cycle holds the known measures', () => {
      expect(workbookCodes.sort()).toEqual([...CODES].sort());
      expect(totals['Maßnahmen gesamt']).toBe(4);
      expect(totals.umgesetzt).toBe(1);
    });

    it('the PDF is tagged, titled, and holds the headings, every measure and the totals of the workbook', async () => {
      const { buffer, type, fileName } = await build('pdf');
      expect(type).toBe(PDF);
      expect(fileName).toMatch(/^Umsetzungsbericht-2024-2025-\d{8}-\d{6}\.pdf$/);
      const info = poppler('pdfinfo', buffer);
      expect(info).toMatch(/^Tagged:\s+yes$/m);
      expect(info).toMatch(/^Title:\s+Umsetzungsbericht 2024-2025/m);
      const text = poppler('pdftotext', buffer, ['-layout']);
      for (const heading of [
        'Umsetzungsbericht',
        'Inhalt',
        'Zusammenfassung',
        'Ziele',
        'Handlungsfelder und Maßnahmen',
        'Gremien und Beteiligung',
        'Beschlüsse',
        'Indikatoren',
      ])
        expect(text).toContain(heading);
      expect(text).not.toMatch(/Entwurf/);
      for (const code of workbookCodes) expect(text).toContain(code);
      for (const [label, count] of Object.entries(totals))
        if (label !== 'Kontrolle: Zeilen im Blatt Maßnahmen')
          expect({ label, found: new RegExp(`^\\s*${label}\\s+${count}\\b`, 'm').test(text) }).toEqual({
            label,
            found: true,
          });
      // The text as it flows: a line that ends in a hyphen goes on in the next one.
      const flowing = text.replace(/-\n\s*/g, '-').replace(/\s+/g, ' ');
      expect(flowing).toContain('Sachstand 3.1-D1: es geht voran.');
      // A measure reads on its own: code and title, status with progress and date, Sachstand.
      expect(flowing).toContain(
        '3.1-D1 Maßnahme 3.1-D1 für die Dokumentprüfung – Status: umgesetzt, 100 %, Meldung vom 30.06.2025 – Sachstand: Sachstand 3.1-D1: es geht voran.',
      );
      // Every page has the title and its number in the footer; the headings make the outline.
      const pages = Number(/^Pages:\s+(\d+)$/m.exec(info)?.[1]);
      expect(pages).toBeGreaterThan(3);
      for (let page = 1; page <= pages; page++) {
        const footer = poppler('pdftotext', buffer, ['-f', String(page), '-l', String(page)]);
        expect({
          page,
          footer:
            /Umsetzungsbericht 2024-2025\s/.test(footer) && footer.includes(`Seite ${page} von ${pages}`),
        }).toEqual({ page, footer: true });
      }
      expect(buffer.includes('/Outlines')).toBe(true);
      // Obstacles and next steps are not part of the document (it is published as it is).
      expect(text).not.toContain('Zu wenige Räume am Abend.');
    });

    it('the DOCX has real headings, table header rows, every measure and the totals of the workbook', async () => {
      const { buffer, type } = await build('docx');
      expect(type).toBe(DOCX);
      const { xml, text } = await docxParts(buffer);
      const h1 = styled(xml, 'Heading1');
      expect(h1).toEqual(
        expect.arrayContaining([
          'Zusammenfassung',
          'Handlungsfelder und Maßnahmen',
          'Gremien und Beteiligung',
          'Indikatoren',
        ]),
      );
      expect(styled(xml, 'Heading2').length).toBeGreaterThan(2);
      expect(styled(xml, 'Heading2').some((h) => h.startsWith('3.4'))).toBe(true);
      expect(xml).toContain('<w:tblHeader/>');
      for (const code of workbookCodes) expect(text).toContain(code);
      for (const [label, count] of Object.entries(totals))
        if (label !== 'Kontrolle: Zeilen im Blatt Maßnahmen')
          expect({ label, found: new RegExp(`^${label}\\t${count}\\t`, 'm').test(text) }).toEqual({
            label,
            found: true,
          });
      expect(text).not.toMatch(/Entwurf/);
      const core = await (await JSZip.loadAsync(buffer)).file('docProps/core.xml')!.async('string');
      expect(core).toContain('Umsetzungsbericht 2024-2025');
    });

    it('lists every format in the history, with the checksum of the bytes downloaded', async () => {
      const pdf = await build('pdf');
      const docx = await build('docx');
      const list = (await as(admin).get(`/api/reports?cycleId=${cycle.id}`).expect(200)).body as {
        id: number;
        format: string;
        sha256: string;
        draft: boolean;
        fileName: string;
      }[];
      expect(new Set(list.map((r) => r.format))).toEqual(new Set(['xlsx', 'pdf', 'docx']));
      const [latestDocx, latestPdf] = list;
      expect(latestDocx).toMatchObject({ format: 'docx', draft: false, sha256: sha256(docx.buffer) });
      expect(latestPdf).toMatchObject({ format: 'pdf', draft: false, sha256: sha256(pdf.buffer) });
      for (const [report, type] of [
        [latestPdf, PDF],
        [latestDocx, DOCX],
      ] as const) {
        const res = await as(admin)
          .get(`/api/reports/${report.id}/download`)
          .buffer(true)
          .parse(binaryParser)
          .expect(200);
        expect(res.headers['content-type']).toBe(type);
        expect(sha256(res.body as Buffer)).toBe(report.sha256);
      }
    });

    it('refuses an unknown format in German, and an editor', async () => {
      const unknown = await as(admin).post(`/api/reporting-cycles/${cycle.id}/report?format=odt`).expect(400);
      expect(unknown.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(unknown.body)).toMatch(/muss einer dieser Werte sein: xlsx, pdf, docx/);
      await as(editor).post(`/api/reporting-cycles/${cycle.id}/report?format=pdf`).expect(403);
    });

    it('serves the published document without sign-in, only once the cycle is published', async () => {
      const address = (format: string) =>
        `/oeffentlich/${planCode}/${cycle.code}/umsetzungsbericht.${format}`;
      const pdf = await build('pdf');
      const docx = await build('docx');
      for (const format of ['pdf', 'docx']) {
        const res = await t.http.get(address(format)).expect(404);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.text).toContain('Seite nicht gefunden');
      }
      await move('published');
      // The overview links both documents, now that they exist for the published snapshot.
      const overview = (await t.http.get(`/oeffentlich/${planCode}/${cycle.code}`).expect(200)).text;
      expect(overview).toContain(`href="${address('pdf')}"`);
      expect(overview).toContain(`href="${address('docx')}"`);
      const servedPdf = await t.http.get(address('pdf')).buffer(true).parse(binaryParser).expect(200);
      expect(servedPdf.headers['content-type']).toBe(PDF);
      expect(sha256(servedPdf.body as Buffer)).toBe(sha256(pdf.buffer));
      const servedDocx = await t.http.get(address('docx')).buffer(true).parse(binaryParser).expect(200);
      expect(servedDocx.headers['content-type']).toBe(DOCX);
      expect(sha256(servedDocx.body as Buffer)).toBe(sha256(docx.buffer));
      await t.http.get(`/oeffentlich/anderer-plan/${cycle.code}/umsetzungsbericht.pdf`).expect(404);
      await t.http.get(`/oeffentlich/${planCode}/1999-2000/umsetzungsbericht.pdf`).expect(404);
    });

    it('compares the documents only with a published earlier cycle, the workbook with a closed one', async () => {
      const all = (await as(admin).get('/api/reporting-cycles').expect(200)).body as Cycle[];
      let earlier = all.find((c) => c.code === '2022-2023')!;
      for (const to of ['collecting', 'reviewing', 'closed']) {
        if (earlier.state === to) continue;
        const res = await as(admin).post(`/api/reporting-cycles/${earlier.id}/transition`, {
          to,
          version: earlier.version,
        });
        expect(res.status).toBe(200);
        earlier = res.body as Cycle;
      }
      const changesNote = async (format: 'xlsx' | 'docx'): Promise<string> => {
        const file = await build(format);
        if (format === 'docx') return (await docxParts(file.buffer)).text;
        const workbook = await readWorkbook(file.buffer);
        return JSON.stringify(sheetValues(workbook.getWorksheet('Änderungen')!));
      };
      // 2022-2023 is closed, not published: the internal workbook compares with it, the public document not.
      expect(await changesNote('xlsx')).toContain('abgeschlossenen Berichtszyklus 2022-2023');
      const unpublished = await changesNote('docx');
      expect(unpublished).not.toContain('2022-2023');
      expect(unpublished).toContain('keinen früheren veröffentlichten Berichtszyklus');
      const res = await as(admin).post(`/api/reporting-cycles/${earlier.id}/transition`, {
        to: 'published',
        version: earlier.version,
      });
      expect(res.status).toBe(200);
      expect(await changesNote('docx')).toContain('veröffentlichten Berichtszyklus 2022-2023');
    });
  });
});

describe('PDF without Chromium', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp({
      ...PRODUCTION_SETTINGS,
      DATABASE_PATH: testDatabasePath('no-chromium'),
      CHROMIUM_PATH: join(TMP_DIR, 'kein-chromium'),
      REPORTS_DIR: `${TMP_DIR}/documents-none-${Date.now()}`,
    });
    admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 503 with a German instruction, and still builds the DOCX', async () => {
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' }).expect(200))
      .body as Cycle[];
    const res = await t.http
      .post(`/api/reporting-cycles/${cycles[0].id}/report?format=pdf`)
      .auth(admin, { type: 'bearer' })
      .expect(503);
    expect(res.body).toMatchObject({ code: 'REPORT.PDF_UNAVAILABLE' });
    expect((res.body as { message: string }).message).toMatch(/Chromium fehlt.*CHROMIUM_PATH/);
    await t.http
      .post(`/api/reporting-cycles/${cycles[0].id}/report?format=docx`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
  });
});
