/**
 * Hostile archives. An xlsx file is a ZIP archive, and its compressed size says little about what it unpacks
 * to: a 2 MB upload can hold gigabytes of XML. This module reads the archive's central directory itself (the
 * same records the workbook parser later follows, never the local headers' claims), checks every declared
 * size and compression ratio before anything is inflated, and then inflates each entry with its declared size
 * as a hard ceiling, so that an archive whose sizes lie is stopped after that many bytes. Rows (also the highest
 * row number) and cells are then counted on the raw XML, before any row object is built.
 */
import { promisify } from 'node:util';
import { crc32, inflateRaw } from 'node:zlib';

const inflateRawAsync = promisify(inflateRaw);

export interface ZipLimits {
  /** Sum of all entries' uncompressed sizes. */
  maxUnpackedBytes: number;
  /** Uncompressed size of any one entry. */
  maxEntryBytes: number;
  /** Uncompressed ÷ compressed size of an entry, for entries of at least RATIO_MIN_BYTES. */
  maxCompressionRatio: number;
  maxEntries: number;
}

export interface SheetLimits {
  /** Rows of one worksheet, counted as row elements and as the highest row number. */
  maxRows: number;
  /** Cells of all worksheets together. */
  maxCells: number;
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type ZipProblemKind =
  | 'corrupt'
  | 'zip64'
  | 'encrypted'
  | 'method'
  | 'too_many_entries'
  | 'too_large_unpacked'
  | 'too_large_entry'
  | 'ratio'
  | 'size_mismatch'
  | 'too_many_rows'
  | 'too_many_cells';

/** Why an archive is refused, with the figures a message needs; the caller words it for the user. */
export class ZipProblem extends Error {
  constructor(
    readonly kind: ZipProblemKind,
    message: string,
    readonly details: { entry?: string; actual?: number; limit?: number } = {},
  ) {
    super(message);
  }
}

/** Small entries compress well for harmless reasons (repeated XML boilerplate); the ratio is checked above this. */
export const RATIO_MIN_BYTES = 1024 * 1024;

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

function lastIndexOfEocd(buffer: Buffer): number {
  // The record ends the file, followed by a comment of at most 65,535 bytes.
  const lowest = Math.max(0, buffer.length - EOCD_SIZE - MAX16);
  for (let i = buffer.length - EOCD_SIZE; i >= lowest; i--) {
    if (buffer.readUInt32LE(i) === EOCD_SIGNATURE) return i;
  }
  return -1;
}

/**
 * The entries as the central directory declares them. Refuses what the workbook parser would read
 * differently from this reader: data before the archive (the parser would shift every offset), archive-level
 * ZIP64, several disks, entries outside the file.
 */
export function readCentralDirectory(buffer: Buffer, maxEntries: number): ZipEntry[] {
  const corrupt = (why: string): ZipProblem => new ZipProblem('corrupt', why);
  if (buffer.length < EOCD_SIZE) throw corrupt('too short for a ZIP archive');
  const eocd = lastIndexOfEocd(buffer);
  if (eocd < 0) throw corrupt('no end of central directory record');
  const disk = buffer.readUInt16LE(eocd + 4);
  const cdDisk = buffer.readUInt16LE(eocd + 6);
  const entriesOnDisk = buffer.readUInt16LE(eocd + 8);
  const entryCount = buffer.readUInt16LE(eocd + 10);
  const cdSize = buffer.readUInt32LE(eocd + 12);
  const cdOffset = buffer.readUInt32LE(eocd + 16);
  if ([disk, cdDisk, entriesOnDisk, entryCount].includes(MAX16) || [cdSize, cdOffset].includes(MAX32)) {
    throw new ZipProblem('zip64', 'archive-level ZIP64 records');
  }
  if (disk !== 0 || cdDisk !== 0 || entriesOnDisk !== entryCount) throw corrupt('multi-disk archive');
  if (cdOffset + cdSize !== eocd) throw corrupt('central directory is not where the end record says');
  if (entryCount > maxEntries) {
    throw new ZipProblem('too_many_entries', `${entryCount} entries`, {
      actual: entryCount,
      limit: maxEntries,
    });
  }
  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let index = 0; index < entryCount; index++) {
    if (at + 46 > eocd || buffer.readUInt32LE(at) !== CENTRAL_SIGNATURE)
      throw corrupt(`central directory entry ${index} is damaged`);
    const flags = buffer.readUInt16LE(at + 8);
    const method = buffer.readUInt16LE(at + 10);
    const crc = buffer.readUInt32LE(at + 16);
    let compressedSize = buffer.readUInt32LE(at + 20);
    let uncompressedSize = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const entryDisk = buffer.readUInt16LE(at + 34);
    let localHeaderOffset = buffer.readUInt32LE(at + 42);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > eocd) throw corrupt(`central directory entry ${index} is damaged`);
    const name = buffer.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    if (compressedSize === MAX32 || uncompressedSize === MAX32 || localHeaderOffset === MAX32) {
      // The ZIP64 extra field holds, in this order, only the values whose 32-bit field is saturated.
      const extra = buffer.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
      const zip64 = zip64Extra(extra);
      if (!zip64) throw corrupt(`entry ${name} lacks its ZIP64 sizes`);
      let p = 0;
      const next = (): number => {
        if (p + 8 > zip64.length) throw corrupt(`entry ${name} has a short ZIP64 field`);
        const value = zip64.readBigUInt64LE(p);
        p += 8;
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`entry ${name} declares an absurd size`);
        return Number(value);
      };
      if (uncompressedSize === MAX32) uncompressedSize = next();
      if (compressedSize === MAX32) compressedSize = next();
      if (localHeaderOffset === MAX32) localHeaderOffset = next();
    }
    if (entryDisk !== 0 && entryDisk !== MAX16) throw corrupt('multi-disk archive');
    entries.push({ name, method, flags, crc32: crc, compressedSize, uncompressedSize, localHeaderOffset });
    at = end;
  }
  return entries;
}

function zip64Extra(extra: Buffer): Buffer | null {
  for (let p = 0; p + 4 <= extra.length;) {
    const id = extra.readUInt16LE(p);
    const size = extra.readUInt16LE(p + 2);
    if (id === 0x0001) return extra.subarray(p + 4, Math.min(extra.length, p + 4 + size));
    p += 4 + size;
  }
  return null;
}

/** The declared sizes against the limits: nothing has been inflated yet. */
export function checkDeclaredSizes(entries: ZipEntry[], limits: ZipLimits): void {
  let total = 0;
  for (const entry of entries) {
    if (entry.flags & 0x1) throw new ZipProblem('encrypted', `entry ${entry.name} is encrypted`);
    if (entry.method !== 0 && entry.method !== 8) {
      throw new ZipProblem('method', `entry ${entry.name} uses compression method ${entry.method}`);
    }
    if (entry.method === 0 && entry.compressedSize !== entry.uncompressedSize) {
      throw new ZipProblem('size_mismatch', `stored entry ${entry.name} declares two sizes`, {
        entry: entry.name,
      });
    }
    if (entry.uncompressedSize > limits.maxEntryBytes) {
      throw new ZipProblem('too_large_entry', `entry ${entry.name} unpacks to ${entry.uncompressedSize}`, {
        entry: entry.name,
        actual: entry.uncompressedSize,
        limit: limits.maxEntryBytes,
      });
    }
    if (
      entry.uncompressedSize >= RATIO_MIN_BYTES &&
      entry.uncompressedSize > limits.maxCompressionRatio * Math.max(1, entry.compressedSize)
    ) {
      throw new ZipProblem('ratio', `entry ${entry.name} is compressed too strongly`, {
        entry: entry.name,
        actual: Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize)),
        limit: limits.maxCompressionRatio,
      });
    }
    total += entry.uncompressedSize;
  }
  if (total > limits.maxUnpackedBytes) {
    throw new ZipProblem('too_large_unpacked', `archive unpacks to ${total}`, {
      actual: total,
      limit: limits.maxUnpackedBytes,
    });
  }
}

/**
 * One entry's content, inflated with its declared size as the ceiling: inflation stops as soon as the output
 * passes it, and an output of any other size or checksum is refused. Runs on the thread pool, so the event
 * loop keeps answering other requests meanwhile.
 */
export async function inflateEntry(buffer: Buffer, entry: ZipEntry): Promise<Buffer> {
  const at = entry.localHeaderOffset;
  if (at + 30 > buffer.length || buffer.readUInt32LE(at) !== LOCAL_SIGNATURE) {
    throw new ZipProblem('corrupt', `local header of ${entry.name} is missing`);
  }
  // Like the workbook parser: the local header gives only the lengths of name and extra field to skip.
  const start = at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
  if (start + entry.compressedSize > buffer.length) {
    throw new ZipProblem('corrupt', `data of ${entry.name} runs past the end of the file`);
  }
  const data = buffer.subarray(start, start + entry.compressedSize);
  let content: Buffer;
  if (entry.method === 0) content = data;
  else {
    try {
      content = await inflateRawAsync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize + 1) });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ZipProblem('size_mismatch', `${entry.name} inflates beyond its declared size`, {
          entry: entry.name,
        });
      }
      throw new ZipProblem('corrupt', `${entry.name} cannot be inflated`);
    }
  }
  if (content.length !== entry.uncompressedSize) {
    throw new ZipProblem('size_mismatch', `${entry.name} is not of its declared size`, { entry: entry.name });
  }
  if (crc32(content) !== entry.crc32) {
    throw new ZipProblem('corrupt', `${entry.name} fails its checksum`, { entry: entry.name });
  }
  return content;
}

const isNameEnd = (byte: number | undefined): boolean =>
  byte === undefined ||
  byte === 0x20 ||
  byte === 0x09 ||
  byte === 0x0a ||
  byte === 0x0d ||
  byte === 0x3e ||
  byte === 0x2f;

export interface SheetCounts {
  rows: number;
  highestRow: number;
  cells: number;
}

/**
 * Counts a worksheet's row and cell elements on its raw XML, stopping as soon as a limit is passed: cheap
 * (native searches, no parsing) and blind to what the <dimension> element claims.
 */
export function countSheet(xml: Buffer, limits: SheetLimits, cellsSoFar = 0): SheetCounts {
  let rows = 0;
  let highestRow = 0;
  let cells = cellsSoFar;
  for (let at = xml.indexOf('<row'); at >= 0; at = xml.indexOf('<row', at + 4)) {
    if (!isNameEnd(xml[at + 4])) continue;
    rows++;
    const close = xml.indexOf('>', at);
    const tag = xml.toString('latin1', at, close < 0 ? xml.length : close);
    const number = /\sr\s*=\s*["']\s*(\d+)/.exec(tag);
    highestRow = number ? Math.max(highestRow, Number(number[1])) : highestRow + 1;
    if (rows > limits.maxRows || highestRow > limits.maxRows) break;
  }
  for (let at = xml.indexOf('<c'); at >= 0 && cells <= limits.maxCells; at = xml.indexOf('<c', at + 2)) {
    if (isNameEnd(xml[at + 2])) cells++;
  }
  return { rows, highestRow, cells };
}

export function checkSheet(name: string, counts: SheetCounts, limits: SheetLimits): void {
  const rows = Math.max(counts.rows, counts.highestRow);
  if (rows > limits.maxRows) {
    throw new ZipProblem('too_many_rows', `${name} has more than ${limits.maxRows} rows`, {
      entry: name,
      actual: rows,
      limit: limits.maxRows,
    });
  }
  if (counts.cells > limits.maxCells) {
    throw new ZipProblem('too_many_cells', `more than ${limits.maxCells} cells`, {
      entry: name,
      actual: counts.cells,
      limit: limits.maxCells,
    });
  }
}
