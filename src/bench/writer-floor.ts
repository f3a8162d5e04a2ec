/**
 * Benchmark floor for the report: exceljs' streaming writer writing the same number of measure rows with the
 * same columns, without any database. Prints seconds and peak memory as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? '1000');
  const dir = mkdtempSync(join(tmpdir(), 'rkm-floor-'));
  const started = performance.now();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: join(dir, 'floor.xlsx'),
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Maßnahmen', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = Array.from({ length: 19 }, (_v, i) => ({ key: `c${i}`, width: 14 }));
  sheet.addRow(Array.from({ length: 19 }, (_v, i) => `Spalte ${i}`)).commit();
  const text = 'Die Maßnahme wird planmäßig umgesetzt; die nächsten Schritte sind abgestimmt.';
  for (let i = 0; i < rows; i++) {
    sheet
      .addRow([
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
      ])
      .commit();
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
