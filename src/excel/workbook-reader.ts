/** Opening uploaded workbooks safely: size, signature and structure are checked before anything is read. */
import { BadRequestException } from '@nestjs/common';
import ExcelJS from 'exceljs';

/** xlsx files are ZIP archives; anything else (a CSV renamed to .xlsx, a PDF) is refused before parsing. */
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export interface CellError {
  sheet: string;
  row: number;
  column: string;
  message: string;
}

export class WorkbookErrorsException extends BadRequestException {
  constructor(errors: CellError[], message = 'Die Datei enthält Fehler; es wurde nichts gespeichert.') {
    super({ statusCode: 400, error: 'Bad Request', code: 'IMPORT.INVALID_ROWS', message, errors });
  }
}

export function fileRefused(code: string, message: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', code, message });
}

export async function openWorkbook(buffer: Buffer | undefined): Promise<ExcelJS.Workbook> {
  if (!buffer || buffer.length === 0)
    throw fileRefused('IMPORT.NO_FILE', 'Es wurde keine Datei hochgeladen (Feld „file“).');
  if (buffer.length < 4 || !buffer.subarray(0, 4).equals(ZIP_SIGNATURE)) {
    throw fileRefused(
      'IMPORT.NOT_XLSX',
      'Die Datei ist keine Excel-Arbeitsmappe (.xlsx). Bitte die heruntergeladene Vorlage verwenden.',
    );
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw fileRefused(
      'IMPORT.CORRUPT',
      'Die Datei ist beschädigt oder unvollständig und kann nicht gelesen werden.',
    );
  }
  return workbook;
}

/** A cell's value as trimmed text ('' when empty); rich text and formula results are flattened. */
export function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('result' in value) {
      const result = value.result;
      if (result instanceof Date) return result.toISOString().slice(0, 10);
      return typeof result === 'string' || typeof result === 'number' || typeof result === 'boolean'
        ? String(result).trim()
        : '';
    }
    if ('text' in value) return String(value.text).trim();
  }
  return '';
}

/** A cell as a number, or null when empty, or NaN when it holds something that is not a number. */
export function cellNumber(cell: ExcelJS.Cell): number | null {
  const value = cell.value;
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return value;
  const text = cellText(cell).replace(/\s/g, '');
  if (text === '') return null;
  const normalised = /^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(text)
    ? text.replace(/\./g, '').replace(',', '.')
    : text.replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(normalised) ? Number(normalised) : Number.NaN;
}

/** A cell as an ISO date: a date cell, "TT.MM.JJJJ" or "JJJJ-MM-TT"; null when empty; undefined when invalid. */
export function cellDate(cell: ExcelJS.Cell): string | null | undefined {
  const value = cell.value;
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  const text = cellText(cell);
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const iso = german ? `${german[3]}-${german[2].padStart(2, '0')}-${german[1].padStart(2, '0')}` : text;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return undefined;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : undefined;
}
