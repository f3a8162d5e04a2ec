/** The look shared by every workbook the product writes: German headers, calm colours, status fills. */
import type { AddWorksheetOptions, Fill, Font, Row, stream, Style, Worksheet } from 'exceljs';
import { STATUS_KEY_LABELS, type StatusKey } from '../dashboard/dashboard.service.js';

export const DATE_FORMAT = 'dd.mm.yyyy';
export const INTEGER_FORMAT = '#,##0';
export const DECIMAL_FORMAT = '#,##0.0';
export const EURO_FORMAT = '#,##0 "€"';
export const PERCENT_FORMAT = '0.0%';

const solid = (argb: string): Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });

export const HEADER_STYLE: Partial<Style> = {
  font: { bold: true, color: { argb: 'FFFFFFFF' } },
  fill: solid('FF1F4E79'),
  alignment: { vertical: 'middle', wrapText: true },
  border: { bottom: { style: 'thin', color: { argb: 'FF1F4E79' } } },
};

export const TITLE_FONT: Partial<Font> = { bold: true, size: 16, color: { argb: 'FF1F4E79' } };
export const NOTE_FONT: Partial<Font> = { italic: true, color: { argb: 'FF595959' } };
export const WARNING_FONT: Partial<Font> = { bold: true, color: { argb: 'FF9C0006' } };
export const TOTAL_FONT: Partial<Font> = { bold: true };

/** Fill and font per status label, used by the conditional formatting of every status column. */
export const STATUS_COLOURS: Record<StatusKey, { fill: string; font: string }> = {
  completed: { fill: 'FFC6EFCE', font: 'FF006100' },
  in_progress: { fill: 'FFDDEBF7', font: 'FF1F4E79' },
  ongoing: { fill: 'FFE2EFDA', font: 'FF375623' },
  planned: { fill: 'FFF2F2F2', font: 'FF404040' },
  delayed: { fill: 'FFFFEB9C', font: 'FF9C5700' },
  discontinued: { fill: 'FFD9D9D9', font: 'FF595959' },
  none: { fill: 'FFFFC7CE', font: 'FF9C0006' },
};

export interface ColumnSpec {
  header: string;
  key: string;
  width: number;
  style?: Partial<Style>;
}

/** Anything that can add a worksheet: the streaming writer and the ordinary workbook. */
export interface SheetHost {
  addWorksheet(name: string, options?: Partial<AddWorksheetOptions>): Worksheet;
}

/**
 * A table sheet: column widths, a styled header row frozen at the top with an autofilter, landscape print
 * fitted to the page width with the header repeated on every page. (The streaming writer takes views and
 * page setup only when the sheet is added.)
 */
export function addTableSheet(
  host: SheetHost,
  name: string,
  columns: ColumnSpec[],
  options: Partial<AddWorksheetOptions> = {},
): Worksheet {
  const sheet = host.addWorksheet(name, {
    ...options,
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    pageSetup: {
      orientation: 'landscape',
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: `&L${name}&RSeite &P von &N` },
  });
  sheet.columns = columns.map((c) => ({
    key: c.key,
    width: c.width,
    style: c.style ?? { alignment: { vertical: 'top', wrapText: true } },
  }));
  const header = sheet.getRow(1);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.style = HEADER_STYLE;
  });
  header.height = 30;
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return sheet;
}

/**
 * Adds a data row, values in column order, whose cells carry their column's style object itself. exceljs gives
 * every new cell its own copy of the column style, and the writer then renders each copy to XML to find its
 * style id – for every cell of every row. Sharing the column's object lets the writer find the id by identity,
 * once per column; the file is the same. A date in a column without a number format keeps its copy, because
 * the writer picks the date format by the cell's type.
 */
export function addStyledRow(sheet: Worksheet, values: unknown[]): Row {
  const row = sheet.addRow(values);
  const columns = sheet.columns;
  for (let index = 0; index < values.length; index++) {
    const style = columns[index]?.style;
    const cell = row.findCell(index + 1);
    if (cell && style && (style.numFmt || !(values[index] instanceof Date))) cell.style = style;
  }
  return row;
}

/** Status fills by conditional formatting on a column range (e.g. "M2:M500"). */
export function addStatusFormatting(sheet: Worksheet, range: string): void {
  sheet.addConditionalFormatting({
    ref: range,
    rules: (Object.keys(STATUS_COLOURS) as StatusKey[]).map((key, index) => ({
      type: 'cellIs',
      operator: 'equal',
      priority: index + 1,
      formulae: [`"${STATUS_KEY_LABELS[key]}"`],
      style: {
        fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: STATUS_COLOURS[key].fill } },
        font: { color: { argb: STATUS_COLOURS[key].font } },
      },
    })),
  });
}

/** "A", "B", …, "Z", "AA" for a 1-based column number. */
export function columnLetter(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** An ISO date as a Date at noon UTC, so that no time zone moves it to another day. */
export function excelDate(iso: string | null): Date | null {
  return iso ? new Date(`${iso}T12:00:00Z`) : null;
}

/**
 * Puts the sheets of a streaming workbook into the given order (its tabs), just before `commit()`. The
 * streaming writer writes each sheet into the file as it goes, in the order the sheets were added, so a
 * sheet whose content depends on a later one (a summary counted from the rows) is added after it and moved
 * to the front here. The writer builds workbook.xml, its relations, app.xml and the print titles' sheet
 * indexes from its list of sheets at commit; exceljs has no public way to reorder that list.
 */
export function orderSheets(workbook: stream.xlsx.WorkbookWriter, names: readonly string[]): void {
  const writer = workbook as unknown as { _worksheets: (Worksheet | undefined)[] };
  const sheets = writer._worksheets.filter((sheet): sheet is Worksheet => sheet !== undefined);
  const ordered = names.map((name) => sheets.find((sheet) => sheet.name === name));
  if (ordered.length !== sheets.length || ordered.some((sheet) => sheet === undefined)) {
    throw new Error(
      `orderSheets: [${names.join(', ')}] passt nicht zu [${sheets.map((s) => s.name).join(', ')}]`,
    );
  }
  // Sparse from index 1, as the writer keeps it (ids start at 1), so that a sheet added later gets a new id.
  const list: (Worksheet | undefined)[] = [];
  ordered.forEach((sheet, index) => (list[index + 1] = sheet));
  writer._worksheets = list;
}

/** Stops a streaming workbook that will not be committed: its archive and its file, whose handle is closed. */
export function abandonWorkbook(workbook: stream.xlsx.WorkbookWriter): void {
  const writer = workbook as unknown as { zip?: { abort(): void }; stream?: { destroy(): void } };
  writer.zip?.abort();
  writer.stream?.destroy();
}
