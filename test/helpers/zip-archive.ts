/**
 * A small ZIP writer for hostile test files: entries are given already compressed (or stored), with the sizes
 * and checksum the central directory should declare, true or not. Streams large contents through deflate, so
 * that a test can build an archive of hundreds of megabytes unpacked without holding them in memory.
 */
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** The bytes as they go into the file (deflated when method is 8). */
  data: Buffer;
  method: 0 | 8;
  crc32: number;
  /** What the central directory declares the entry unpacks to. */
  uncompressedSize: number;
}

export function storedPart(name: string, content: Buffer): ZipPart {
  return { name, data: content, method: 0, crc32: crc32(content), uncompressedSize: content.length };
}

export function deflatedPart(name: string, content: Buffer): ZipPart {
  return {
    name,
    data: deflateRawSync(content),
    method: 8,
    crc32: crc32(content),
    uncompressedSize: content.length,
  };
}

/** Deflates content produced chunk by chunk (never held whole), with its true size and checksum. */
export async function streamedPart(name: string, chunks: Iterable<Buffer>): Promise<ZipPart> {
  const deflate = createDeflateRaw({ level: 6 });
  const output: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => output.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  let size = 0;
  let crc = 0;
  for (const chunk of chunks) {
    size += chunk.length;
    crc = crc32(chunk, crc);
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return { name, data: Buffer.concat(output), method: 8, crc32: crc, uncompressedSize: size };
}

/** Local headers carry the same sizes as the central directory; both may lie, as the part says. */
export function writeZip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(part.method, 8);
    local.writeUInt32LE(part.crc32 >>> 0, 14);
    local.writeUInt32LE(part.data.length, 18);
    local.writeUInt32LE(part.uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, part.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(part.method, 10);
    central.writeUInt32LE(part.crc32 >>> 0, 16);
    central.writeUInt32LE(part.data.length, 20);
    central.writeUInt32LE(part.uncompressedSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + part.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
