import { inflateRawSync } from 'node:zlib';
import { describeError, errorCode } from '../errors.js';

/**
 * The parts of a ZIP file (a .docx is one), read from its central directory, and their contents unpacked
 * under a budget: a "zip bomb" whose parts unpack to gigabytes is refused after the budget, never held.
 */

export interface ZipPart {
  name: string;
  method: number;
  compressedSize: number;
  localHeader: number;
}

/** A ZIP file that cannot be read or is refused, with the reason. */
export class ZipError extends Error {
  override name = 'ZipError';
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_PARTS = 10_000;

/** The parts named in the central directory. Throws ZipError when the bytes are not a readable ZIP. */
export function zipParts(bytes: Uint8Array): ZipPart[] {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (data.length < 22 || data.readUInt32LE(0) !== LOCAL) throw new ZipError('not a ZIP file');
  // The end-of-central-directory record: in the last 22 bytes plus at most a 64 KB comment.
  let end = -1;
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--) {
    if (data.readUInt32LE(at) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new ZipError('damaged: the ZIP directory is missing (a truncated file?)');
  const count = data.readUInt16LE(end + 10);
  let at = data.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw new ZipError('a ZIP64 file, which is not read');
  if (count > MAX_PARTS) throw new ZipError(`${count} parts in the ZIP file (at most ${MAX_PARTS} are read)`);
  const parts: ZipPart[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL)
      throw new ZipError('damaged: the ZIP directory is broken');
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    parts.push({
      name: data.toString('utf8', at + 46, at + 46 + nameLength),
      method: data.readUInt16LE(at + 10),
      compressedSize: data.readUInt32LE(at + 20),
      localHeader: data.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return parts;
}

/** A part's contents, at most `maxBytes` once unpacked (else ZipError). */
export function unzipPart(bytes: Uint8Array, part: ZipPart, maxBytes: number): Buffer {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const at = part.localHeader;
  if (at + 30 > data.length || data.readUInt32LE(at) !== LOCAL)
    throw new ZipError(`damaged: the ZIP part ${part.name} is missing`);
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  const packed = data.subarray(start, start + part.compressedSize);
  if (part.method === 0) {
    if (packed.length > maxBytes) throw tooLarge(part);
    return packed;
  }
  if (part.method !== 8)
    throw new ZipError(`the ZIP part ${part.name} uses compression method ${part.method}`);
  try {
    return inflateRawSync(packed, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (error) {
    if (errorCode(error) === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(part);
    throw new ZipError(`damaged: the ZIP part ${part.name} cannot be unpacked (${describeError(error)})`);
  }
}

function tooLarge(part: ZipPart): ZipError {
  return new ZipError(`the ZIP part ${part.name} unpacks to more than the limit (a "zip bomb"?)`);
}
