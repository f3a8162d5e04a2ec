/**
 * Opening uploaded workbooks safely: size, signature and the archive's structure are checked before anything
 * is parsed. The limits (unpacked size, compression ratio, rows, cells) bound what one upload can cost the
 * server in memory and time, whatever its compressed size; see zip-limits.ts for how they are enforced.
 */
import { isCalendarDate } from '../common/calendar-date.js';
import { DomainError } from '../common/http/domain-errors.js';
import type { FeatureErrorCode } from '../common/http/error-codes.js';
import ExcelJS from 'exceljs';
import type { AppConfig } from '../common/config/app-config.js';
import {
  checkDeclaredSizes,
  checkSheet,
  countSheet,
  inflateEntry,
  readCentralDirectory,
  type SheetLimits,
  type ZipLimits,
  ZipProblem,
} from './zip-limits.js';
import { ImportError } from './import-errors.js';

/** xlsx files are ZIP archives; anything else (a CSV renamed to .xlsx, a PDF) is refused before parsing. */
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const MB = 1024 * 1024;
/** A workbook has a dozen parts, one with many sheets and images a few hundred. */
const MAX_ENTRIES = 1000;
/** A refusal lists this many errors and counts the rest: a file of 10,000 bad rows must not answer in megabytes. */
export const MAX_LISTED_ERRORS = 200;

const number = new Intl.NumberFormat('de-DE');
const megabytes = (bytes: number): string => number.format(Math.ceil(bytes / MB));

export interface CellError {
  sheet: string;
  row: number;
  column: string;
  message: string;
}

export class WorkbookErrorsException extends DomainError {
  constructor(errors: CellError[], message = 'Die Datei enthält Fehler; es wurde nichts gespeichert.') {
    const capped = errors.length > MAX_LISTED_ERRORS;
    super(
      'invalid',
      ImportError.INVALID_ROWS,
      capped
        ? `${message.replace(/\.$/, '')} (die ersten ${MAX_LISTED_ERRORS} von ${number.format(errors.length)} Fehlern).`
        : message,
      { errors: errors.slice(0, MAX_LISTED_ERRORS), errorCount: errors.length },
    );
  }
}

/** 400 for a file that is not what the upload expects. */
export function fileRefused(code: FeatureErrorCode, message: string): DomainError {
  return new DomainError('invalid', code, message);
}

function tooLarge(code: ImportError, message: string): DomainError {
  return new DomainError('payload_too_large', code, message);
}

export interface UploadLimits extends ZipLimits, SheetLimits {}

export function uploadLimits(config: AppConfig): UploadLimits {
  return {
    maxUnpackedBytes: config.UPLOAD_MAX_UNPACKED_MB * MB,
    maxEntryBytes: config.UPLOAD_MAX_ENTRY_MB * MB,
    maxCompressionRatio: config.UPLOAD_MAX_COMPRESSION_RATIO,
    maxEntries: MAX_ENTRIES,
    maxRows: config.UPLOAD_MAX_ROWS,
    maxCells: config.UPLOAD_MAX_CELLS,
  };
}

const CORRUPT_MESSAGE = 'Die Datei ist beschädigt oder unvollständig und kann nicht gelesen werden.';

/** The German refusal for an archive problem: 413 for what is too big, 400 for what is broken or lies. */
function refusal(problem: ZipProblem): DomainError {
  const { actual = 0, limit = 0, entry = '' } = problem.details;
  switch (problem.kind) {
    case 'corrupt':
      return fileRefused(ImportError.CORRUPT, CORRUPT_MESSAGE);
    case 'zip64':
      return fileRefused(
        ImportError.ZIP64,
        'Die Datei ist im ZIP64-Format gepackt, das für Arbeitsmappen dieser Größe nicht vorkommt. Bitte die Vorlage in Excel oder LibreOffice öffnen und erneut als .xlsx speichern.',
      );
    case 'encrypted':
      return fileRefused(
        ImportError.ENCRYPTED,
        'Die Datei ist verschlüsselt. Bitte ohne Kennwort als .xlsx speichern und erneut hochladen.',
      );
    case 'method':
      return fileRefused(
        ImportError.CORRUPT,
        'Die Datei ist mit einem unbekannten Verfahren gepackt und kann nicht gelesen werden. Bitte erneut als .xlsx speichern.',
      );
    case 'size_mismatch':
      return fileRefused(
        ImportError.SIZE_MISMATCH,
        `Die Datei ist beschädigt: der Teil „${entry}“ ist entpackt nicht so groß, wie die Datei angibt. Sie wird nicht geöffnet.`,
      );
    case 'too_many_entries':
      return tooLarge(
        ImportError.TOO_MANY_PARTS,
        `Die Datei besteht aus ${number.format(actual)} Teilen; erlaubt sind höchstens ${number.format(limit)}.`,
      );
    case 'too_large_unpacked':
      return tooLarge(
        ImportError.TOO_LARGE_UNPACKED,
        `Die Datei wäre entpackt ${megabytes(actual)} MB groß; erlaubt sind höchstens ${megabytes(limit)} MB. Es wurde nichts gespeichert.`,
      );
    case 'too_large_entry':
      return tooLarge(
        ImportError.TOO_LARGE_UNPACKED,
        `Der Teil „${entry}“ der Datei wäre entpackt ${megabytes(actual)} MB groß; erlaubt sind höchstens ${megabytes(limit)} MB je Teil. Es wurde nichts gespeichert.`,
      );
    case 'ratio':
      return tooLarge(
        ImportError.COMPRESSION_RATIO,
        `Der Teil „${entry}“ der Datei ist ungewöhnlich stark gepackt (1:${number.format(actual)}, erlaubt höchstens 1:${number.format(limit)}) und wird zum Schutz des Servers nicht geöffnet. Es wurde nichts gespeichert.`,
      );
    case 'too_many_rows':
      return tooLarge(
        ImportError.TOO_MANY_ROWS,
        `Ein Tabellenblatt der Datei hat mehr als ${number.format(limit)} Zeilen; erlaubt sind höchstens ${number.format(limit)} je Blatt. Es wurde nichts gespeichert.`,
      );
    case 'too_many_cells':
      return tooLarge(
        ImportError.TOO_MANY_CELLS,
        `Die Tabellenblätter der Datei haben zusammen mehr als ${number.format(limit)} Zellen; erlaubt sind höchstens ${number.format(limit)}. Es wurde nichts gespeichert.`,
      );
  }
}

/**
 * Checks the archive before the workbook parser sees it: declared sizes and ratios first (nothing inflated),
 * then every entry inflated with its declared size as ceiling, rows and cells counted on the raw XML. Entries
 * are inflated one at a time and dropped after the check, so the check costs at most one entry's size.
 */
export async function checkArchive(buffer: Buffer, limits: UploadLimits): Promise<void> {
  try {
    const entries = readCentralDirectory(buffer, limits.maxEntries);
    checkDeclaredSizes(entries, limits);
    let cells = 0;
    for (const entry of entries) {
      const content = await inflateEntry(buffer, entry);
      // Every part is counted, not only those named like sheets: a name can be given twice in an archive
      // (once in an extra field), and other parts hold no row or cell elements anyway.
      const counts = countSheet(content, limits, cells);
      checkSheet(entry.name, counts, limits);
      cells = counts.cells;
    }
  } catch (error) {
    if (error instanceof ZipProblem) throw refusal(error);
    throw error;
  }
}

export async function openWorkbook(
  buffer: Buffer | undefined,
  limits: UploadLimits,
): Promise<ExcelJS.Workbook> {
  if (!buffer || buffer.length === 0)
    throw fileRefused(ImportError.NO_FILE, 'Es wurde keine Datei hochgeladen (Feld „file“).');
  if (buffer.length < 4 || !buffer.subarray(0, 4).equals(ZIP_SIGNATURE)) {
    throw fileRefused(
      ImportError.NOT_XLSX,
      'Die Datei ist keine Excel-Arbeitsmappe (.xlsx). Bitte die heruntergeladene Vorlage verwenden.',
    );
  }
  await checkArchive(buffer, limits);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw fileRefused(ImportError.CORRUPT, CORRUPT_MESSAGE);
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
  return isCalendarDate(iso) ? iso : undefined;
}
