/**
 * Writing a report file safely: exceljs' streaming writer does not pass an error of its file stream (disk full,
 * folder not writable) on to `commit()`, which then waits forever. Here the file stream's error ends the
 * report at once, and such errors become a German 503 rather than a hang or a 500.
 */
import type ExcelJS from 'exceljs';
import { DomainError } from '../common/http/domain-errors.js';
import { ReportError } from './report-errors.js';

/** Rejects as soon as the workbook's file stream fails; never resolves otherwise. */
export function workbookFileFailure(workbook: ExcelJS.stream.xlsx.WorkbookWriter): Promise<never> {
  const stream = (workbook as unknown as { stream?: NodeJS.EventEmitter }).stream;
  const failure = new Promise<never>((_, reject) => {
    stream?.once('error', reject);
  });
  // Only awaited in a race: a failure after the report is done must not count as unhandled.
  failure.catch(() => undefined);
  return failure;
}

const FULL = ['ENOSPC', 'EDQUOT', 'EFBIG'];
const NOT_WRITABLE = ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR'];

/** The 503 for a report that could not be written to REPORTS_DIR, or null for any other error. */
export function reportStorageError(error: unknown, directory: string): DomainError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const answer = (errorCode: ReportError, message: string): DomainError =>
    new DomainError('unavailable', errorCode, message, {}, { cause: error });
  if (FULL.includes(code))
    return answer(
      ReportError.STORAGE_FULL,
      `Der Bericht konnte nicht gespeichert werden: im Berichtsordner (${directory}) ist kein Platz mehr. Es wurde nichts gespeichert; bitte den Betrieb informieren.`,
    );
  if (NOT_WRITABLE.includes(code))
    return answer(
      ReportError.STORAGE_NOT_WRITABLE,
      `Der Bericht konnte nicht gespeichert werden: in den Berichtsordner (${directory}) darf nicht geschrieben werden. Bitte den Betrieb informieren.`,
    );
  return null;
}
