import ExcelJS from 'exceljs';
import { deflatedPart, storedPart, streamedPart, writeZip } from '../../test/helpers/zip-archive.js';
import {
  checkDeclaredSizes,
  checkSheet,
  countSheet,
  inflateEntry,
  readCentralDirectory,
  type ZipLimits,
  ZipProblem,
} from './zip-limits.js';

const MB = 1024 * 1024;
const LIMITS: ZipLimits = {
  maxUnpackedBytes: 100 * MB,
  maxEntryBytes: 64 * MB,
  maxCompressionRatio: 200,
  maxEntries: 1000,
};

function problem(work: () => unknown): ZipProblem {
  try {
    work();
  } catch (error) {
    if (error instanceof ZipProblem) return error;
    throw error;
  }
  throw new Error('no problem found');
}

async function asyncProblem(work: () => Promise<unknown>): Promise<ZipProblem> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ZipProblem) return error;
    throw error;
  }
  throw new Error('no problem found');
}

function* zeros(total: number): Generator<Buffer> {
  const chunk = Buffer.alloc(MB, 0x20);
  for (let left = total; left > 0; left -= MB) yield left >= MB ? chunk : chunk.subarray(0, left);
}

describe('zip limits', () => {
  it('reads the central directory of a workbook written by exceljs and inflates every part exactly', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Meldungen').addRows([
      ['Code', 'Status'],
      ['3.1-01', 'geplant'],
    ]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const entries = readCentralDirectory(buffer, 1000);
    expect(entries.map((e) => e.name)).toContain('xl/worksheets/sheet1.xml');
    expect(() => checkDeclaredSizes(entries, LIMITS)).not.toThrow();
    for (const entry of entries) {
      expect((await inflateEntry(buffer, entry)).length).toBe(entry.uncompressedSize);
    }
  });

  it('refuses by declared sizes before inflating: total, one part, compression ratio, number of parts', async () => {
    const small = deflatedPart('a.xml', Buffer.alloc(1000, 0x41));
    const bomb = await streamedPart('xl/worksheets/sheet1.xml', zeros(80 * MB));
    const entriesOf = (...parts: Parameters<typeof writeZip>[0]) =>
      readCentralDirectory(writeZip(parts), 1000);

    const entry = problem(() => checkDeclaredSizes(entriesOf(small, bomb), LIMITS));
    expect(entry).toMatchObject({
      kind: 'too_large_entry',
      details: { entry: 'xl/worksheets/sheet1.xml', actual: 80 * MB, limit: 64 * MB },
    });
    const total = problem(() =>
      checkDeclaredSizes(entriesOf(small, bomb), {
        ...LIMITS,
        maxEntryBytes: 100 * MB,
        maxUnpackedBytes: 50 * MB,
        maxCompressionRatio: 100_000,
      }),
    );
    expect(total.kind).toBe('too_large_unpacked');
    const ratio = problem(() => checkDeclaredSizes(entriesOf(bomb), { ...LIMITS, maxEntryBytes: 100 * MB }));
    expect(ratio).toMatchObject({ kind: 'ratio', details: { limit: 200 } });
    expect(ratio.details.actual).toBeGreaterThan(500);
    expect(problem(() => readCentralDirectory(writeZip([small, small, small]), 2)).kind).toBe(
      'too_many_entries',
    );
  });

  it('stops inflating at the declared size when the declared sizes lie', async () => {
    const bomb = await streamedPart('xl/worksheets/sheet1.xml', zeros(200 * MB));
    const lying = { ...bomb, uncompressedSize: 4096 };
    const buffer = writeZip([lying]);
    const [entry] = readCentralDirectory(buffer, 10);
    expect(() => checkDeclaredSizes([entry], LIMITS)).not.toThrow();
    const before = process.memoryUsage().rss;
    const found = await asyncProblem(() => inflateEntry(buffer, entry));
    expect(found).toMatchObject({ kind: 'size_mismatch', details: { entry: 'xl/worksheets/sheet1.xml' } });
    // 200 MB were never produced.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);

    const shorter = writeZip([{ ...deflatedPart('a.xml', Buffer.alloc(100)), uncompressedSize: 5000 }]);
    expect((await asyncProblem(() => inflateEntry(shorter, readCentralDirectory(shorter, 10)[0]))).kind).toBe(
      'size_mismatch',
    );
    const wrongChecksum = writeZip([{ ...deflatedPart('a.xml', Buffer.alloc(100)), crc32: 1 }]);
    expect(
      (await asyncProblem(() => inflateEntry(wrongChecksum, readCentralDirectory(wrongChecksum, 10)[0])))
        .kind,
    ).toBe('corrupt');
  });

  it('refuses archive-level ZIP64, data before the archive and a truncated file; reads ZIP64 sizes of a part', async () => {
    const plain = writeZip([storedPart('a.xml', Buffer.from('<a/>'))]);
    const zip64 = Buffer.from(plain);
    zip64.writeUInt16LE(0xffff, zip64.length - 22 + 10);
    expect(problem(() => readCentralDirectory(zip64, 10)).kind).toBe('zip64');
    const prefixed = Buffer.concat([Buffer.from('MZ-prefix'), plain]);
    expect(problem(() => readCentralDirectory(prefixed, 10)).kind).toBe('corrupt');
    expect(problem(() => readCentralDirectory(plain.subarray(0, plain.length - 30), 10)).kind).toBe(
      'corrupt',
    );

    // A part whose 32-bit sizes are saturated, with the true ones in its ZIP64 extra field.
    const content = Buffer.from('<worksheet/>');
    const part = storedPart('b.xml', content);
    const withExtra = writeZip([part]);
    const cd = withExtra.readUInt32LE(withExtra.length - 22 + 16);
    const extra = Buffer.alloc(20);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(16, 2);
    extra.writeBigUInt64LE(BigInt(content.length), 4);
    extra.writeBigUInt64LE(BigInt(content.length), 12);
    const central = Buffer.from(withExtra.subarray(cd, withExtra.length - 22));
    central.writeUInt32LE(0xffffffff, 20);
    central.writeUInt32LE(0xffffffff, 24);
    central.writeUInt16LE(extra.length, 30);
    const rebuilt = Buffer.concat([withExtra.subarray(0, cd), central, extra, withExtra.subarray(-22)]);
    rebuilt.writeUInt32LE(central.length + extra.length, rebuilt.length - 22 + 12);
    const [entry] = readCentralDirectory(rebuilt, 10);
    expect(entry).toMatchObject({ compressedSize: content.length, uncompressedSize: content.length });
    expect((await inflateEntry(rebuilt, entry)).toString()).toBe('<worksheet/>');
  });

  it('counts rows, the highest row number and cells on raw sheet XML', () => {
    const xml = Buffer.from(
      '<worksheet><cols><col min="1"/></cols><sheetData>' +
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"/></row>' +
        '<row><c><v>2</v></c></row>' +
        '<row r=\'40\' spans=\'1:2\'><c r="A40" t="s"><v>0</v></c></row>' +
        '</sheetData><rowBreaks count="1"/></worksheet>',
    );
    const limits = { maxRows: 100, maxCells: 100 };
    expect(countSheet(xml, limits)).toEqual({ rows: 3, highestRow: 40, cells: 4 });
    expect(
      checkSheet('s', countSheet(xml, { maxRows: 40, maxCells: 100 }), { maxRows: 40, maxCells: 100 }),
    ).toBe(undefined);
  });

  it('refuses too many rows, a far row number and too many cells', () => {
    const rows = Buffer.from(
      `<sheetData>${Array.from({ length: 50 }, (_, i) => `<row r="${i + 1}"><c/></row>`).join('')}</sheetData>`,
    );
    const limits = { maxRows: 20, maxCells: 1000 };
    expect(problem(() => checkSheet('s', countSheet(rows, limits), limits))).toMatchObject({
      kind: 'too_many_rows',
      details: { limit: 20 },
    });
    const far = Buffer.from('<sheetData><row r="1048576"><c/></row></sheetData>');
    expect(problem(() => checkSheet('s', countSheet(far, limits), limits)).kind).toBe('too_many_rows');
    const cells = { maxRows: 100, maxCells: 30 };
    expect(problem(() => checkSheet('s', countSheet(rows, cells), cells)).kind).toBe('too_many_cells');
    // Cells of earlier sheets count towards the same budget.
    const few = Buffer.from('<sheetData><row r="1"><c/></row></sheetData>');
    expect(problem(() => checkSheet('s', countSheet(few, cells, 30), cells)).kind).toBe('too_many_cells');
  });
});
