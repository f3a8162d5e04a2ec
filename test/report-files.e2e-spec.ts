/**
 * Generated reports are kept in the database, so any instance serves any report: a report still downloads,
 * byte for byte, after the reports folder is gone; a file of several pieces comes back whole and matches its
 * recorded SHA-256; a report recorded before the database kept the bytes downloads from the folder; and a
 * report with neither is answered with REPORT.FILE_MISSING.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SESSION_COOKIE } from '../src/common/auth/session.js';
import { ImplementationReport } from '../src/reporting/implementation-report.entity.js';
import { ImplementationReportsService } from '../src/reporting/implementation-reports.service.js';
import { ReportingCycle } from '../src/reporting/reporting-cycle.entity.js';
import { createTestApp, type TestApp, TMP_DIR } from './helpers/test-app.js';
import { binaryParser, readWorkbook } from './helpers/workbooks.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('report files kept in the database', () => {
  const reportsDir = `${TMP_DIR}/report-files-${Date.now()}`;
  let t: TestApp;
  let admin: string;
  let cycleId: number;

  beforeAll(async () => {
    t = await createTestApp({ REPORTS_DIR: reportsDir });
    admin = await t.login('admin@demo.local');
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' })).body as {
      id: number;
      code: string;
    }[];
    cycleId = cycles.find((c) => c.code === '2022-2023')!.id;
  });
  afterAll(async () => {
    await t.close();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  async function build(format: 'xlsx' | 'docx'): Promise<{ bytes: Buffer; record: ImplementationReport }> {
    const res = await t.http
      .post(`/api/reporting-cycles/${cycleId}/report?format=${format}`)
      .auth(admin, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const [record] = (await t.http.get(`/api/reports?cycleId=${cycleId}`).auth(admin, { type: 'bearer' }))
      .body as ImplementationReport[];
    expect(record.format).toBe(format);
    return { bytes: res.body as Buffer, record };
  }

  function download(id: number): Promise<{ status: number; body: Buffer; text: string }> {
    return t.http
      .get(`/api/reports/${id}/download`)
      .auth(admin, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .then((res) => ({ status: res.status, body: res.body as Buffer, text: String(res.body) }));
  }

  it('downloads a workbook and a Word document with identical bytes after the reports folder is deleted', async () => {
    const workbook = await build('xlsx');
    const document = await build('docx');
    rmSync(reportsDir, { recursive: true, force: true });
    expect(existsSync(reportsDir)).toBe(false);

    for (const built of [workbook, document]) {
      const res = await download(built.record.id);
      expect(res.status).toBe(200);
      expect(res.body.equals(built.bytes)).toBe(true);
      expect(sha256(res.body)).toBe(built.record.sha256);
      expect(res.body.length).toBe(built.record.sizeBytes);
    }
    expect((await readWorkbook((await download(workbook.record.id)).body)).worksheets[0].name).toBe(
      'Übersicht',
    );

    // The page's download link serves it too.
    const page = await t.http
      .get(`/dateien/berichte/${workbook.record.id}`)
      .set('Cookie', `${SESSION_COOKIE}=${admin}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect((page.body as Buffer).equals(workbook.bytes)).toBe(true);
  });

  it('keeps a file of several megabytes whole, its SHA-256 matching the stored bytes', async () => {
    const service = t.app.get(ImplementationReportsService);
    mkdirSync(reportsDir, { recursive: true });
    // Just over two pieces, and exactly two: the last piece partly filled, and none left empty.
    for (const size of [2 * 1024 * 1024 + 12_345, 2 * 1024 * 1024]) {
      const fileName = `Umsetzungsbericht-2022-2023-gross-${size}.xlsx`;
      const bytes = randomBytes(size);
      writeFileSync(join(reportsDir, fileName), bytes);
      const record = await service.record(
        join(reportsDir, fileName),
        {
          cycleId,
          cycleCode: '2022-2023',
          fileName,
          format: 'xlsx',
          draft: false,
          containsExampleData: true,
          measureCount: 0,
        },
        null,
      );
      expect(record.sha256).toBe(sha256(bytes));
      expect(record.sizeBytes).toBe(size);
      rmSync(join(reportsDir, fileName));

      const res = await download(record.id);
      expect(res.status).toBe(200);
      expect(res.body.length).toBe(size);
      expect(sha256(res.body)).toBe(record.sha256);
      expect(res.body.equals(bytes)).toBe(true);
    }
  });

  it('serves a report recorded before the database kept the bytes from its file, and names a missing one', async () => {
    mkdirSync(reportsDir, { recursive: true });
    const bytes = randomBytes(40_000);
    const saved = async (fileName: string): Promise<ImplementationReport> =>
      // As a database from before this change holds it: the record, no bytes.
      t.dataSource.getRepository(ImplementationReport).save({
        frameworkId: (await t.dataSource.getRepository(ReportingCycle).findOneByOrFail({ id: cycleId }))
          .frameworkId,
        cycleId,
        cycleCode: '2022-2023',
        fileName,
        format: 'xlsx',
        sha256: sha256(bytes),
        sizeBytes: bytes.length,
        draft: false,
        containsExampleData: true,
        measureCount: 0,
        generatedById: null,
        generatedBy: 'cli',
      });
    const onDisk = await saved('Umsetzungsbericht-2022-2023-alt.xlsx');
    writeFileSync(join(reportsDir, onDisk.fileName), bytes);
    const old = await download(onDisk.id);
    expect(old.status).toBe(200);
    expect(old.body.equals(bytes)).toBe(true);

    const gone = await saved('Umsetzungsbericht-2022-2023-verloren.xlsx');
    const missing = await download(gone.id);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({
      code: 'REPORT.FILE_MISSING',
      message:
        'Die Datei Umsetzungsbericht-2022-2023-verloren.xlsx ist nicht mehr vorhanden; bitte den Bericht neu erzeugen.',
    });
  });
});
