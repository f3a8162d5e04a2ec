import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { abandonWorkbook, addTableSheet, orderSheets } from './workbook-style.js';

describe('streaming workbooks', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rkm-style-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const writer = (name: string): ExcelJS.stream.xlsx.WorkbookWriter =>
    new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(dir, name), useStyles: true });

  it('orderSheets puts sheets written later in front: tabs, print titles and formulas follow', async () => {
    const workbook = writer('order.xlsx');
    const rows = addTableSheet(workbook, 'Zeilen', [{ header: 'Status', key: 'status', width: 12 }]);
    for (const status of ['umgesetzt', 'verzögert', 'umgesetzt']) rows.addRow([status]).commit();
    rows.commit();
    const summary = workbook.addWorksheet('Übersicht');
    summary.addRow(['umgesetzt', { formula: 'COUNTIF(Zeilen!$A$2:$A$4,"umgesetzt")', result: 2 }]).commit();
    summary.commit();
    orderSheets(workbook, ['Übersicht', 'Zeilen']);
    await workbook.commit();

    const read = new ExcelJS.Workbook();
    await read.xlsx.readFile(join(dir, 'order.xlsx'));
    expect(read.worksheets.map((s) => s.name)).toEqual(['Übersicht', 'Zeilen']);
    expect(read.getWorksheet('Übersicht')!.pageSetup.printTitlesRow).toBeUndefined();
    expect(read.getWorksheet('Zeilen')!.pageSetup.printTitlesRow).toBe('1:1');
    expect(read.getWorksheet('Übersicht')!.getCell('B1').value).toEqual({
      formula: 'COUNTIF(Zeilen!$A$2:$A$4,"umgesetzt")',
      result: 2,
    });
    expect(read.getWorksheet('Zeilen')!.getCell('A3').value).toBe('verzögert');
  });

  it('orderSheets refuses a list that does not name every sheet exactly once', () => {
    const workbook = writer('refused.xlsx');
    workbook.addWorksheet('A');
    workbook.addWorksheet('B');
    expect(() => orderSheets(workbook, ['B'])).toThrow(/passt nicht/);
    expect(() => orderSheets(workbook, ['B', 'C'])).toThrow(/passt nicht/);
    abandonWorkbook(workbook);
  });

  it('abandonWorkbook closes the file of a workbook that will not be committed', async () => {
    const path = join(dir, 'abandoned.xlsx');
    const isOpen = (): boolean =>
      readdirSync('/proc/self/fd').some((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === path;
        } catch {
          return false; // closed meanwhile
        }
      });
    const workbook = writer('abandoned.xlsx');
    const sheet = addTableSheet(workbook, 'Zeilen', [{ header: 'Text', key: 'text', width: 12 }]);
    for (let i = 0; i < 1000; i++) sheet.addRow([`Zeile ${i}`]).commit();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isOpen()).toBe(true);
    abandonWorkbook(workbook);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isOpen()).toBe(false);
  });
});
