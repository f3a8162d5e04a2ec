/**
 * Benchmark floor for the report: exceljs' streaming writer writing the same number of measure rows into the
 * same Maßnahmen sheet as the report – its columns, column styles and number formats, header, status
 * formatting, written the same way – without any database. Prints seconds and peak memory as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { MEASURE_COLUMNS, STATUS_COLUMN } from '../../src/excel/measure-columns.js';
import { addStatusFormatting, addStyledRow, addTableSheet } from '../../src/excel/workbook-style.js';

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? '1000');
  const dir = mkdtempSync(join(tmpdir(), 'rkm-floor-'));
  const started = performance.now();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: join(dir, 'floor.xlsx'),
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = addTableSheet(workbook, 'Maßnahmen', MEASURE_COLUMNS);
  addStatusFormatting(sheet, `${STATUS_COLUMN}2:${STATUS_COLUMN}${Math.max(2, rows + 1)}`);
  const text = 'Die Maßnahme wird planmäßig umgesetzt; die nächsten Schritte sind abgestimmt.';
  for (let i = 0; i < rows; i++) {
    addStyledRow(sheet, [
      `3.${(i % 13) + 1}-${i}`,
      `Maßnahme ${i}`,
      'Handlungsfeld',
      '2.1, 2.2',
      'Ressort',
      'SKB',
      'Land Bremen',
      'Frauen',
      new Date('2024-01-01T12:00:00Z'),
      new Date('2027-12-31T12:00:00Z'),
      100000,
      'aktiv',
      'in Umsetzung',
      i % 101,
      new Date('2025-06-30T12:00:00Z'),
      text,
      '',
      text,
      '',
    ]).commit();
  }
  sheet.commit();
  await workbook.commit();
  const seconds = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ stats: { seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, rows } }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
