import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { errorCode } from '../errors.js';

/**
 * A segment's checksums (`checksums.json`, written with the segment, before its catalog): each file's
 * size and SHA-256, and an 8-byte SHA-256 prefix of every article record in articles.bin (in catalog
 * order). What is checked when:
 *
 * - opening a segment (the bot's start, every reader): each file's size, and the catalog's hash (the
 *   catalog is read whole anyway): a truncated or extended file is caught at no cost worth counting;
 * - reading an article's text: its record's hash, so no text that fails its check is ever shown;
 * - a full ingest asked to verify (`npm run ingest`, `/reindex`) and every merge: every byte of every file.
 *
 * Hashing every byte at every start would cost about a second per GB (1 GB/s on the 2-core machine), too
 * much for the start-up goal at a million passages; the per-record check covers what a person sees.
 * Segments written before checksums existed have no file and are read unchecked until a merge rewrites
 * them. The file sits beside the segment's others, so the segment format itself is unchanged.
 */
export const CHECKSUMS_FILE = 'checksums.json';
export const CATALOG_FILE = 'catalog.json';
/** The files a segment's checksums cover besides its catalog. */
export const DATA_FILES = ['articles.bin', 'passages.f32', 'sentences.bin', 'lexicon.bin'] as const;
const RECORD_DIGEST_BYTES = 8;

const fileSum = z.object({
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
const checksumsSchema = z.object({
  format: z.literal(1),
  files: z.record(fileSum),
  /** Base64 of the records' digest prefixes, back to back in catalog order. */
  records: z.string(),
});
export type SegmentChecksums = z.infer<typeof checksumsSchema>;

/** A segment file does not match what was written: the segment is treated as missing. */
export class SegmentDamagedError extends Error {
  override name = 'SegmentDamagedError';
}

const digest = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

/** The checksums file of a segment about to be written (its files' contents, its records in order). */
export function checksumsJson(files: Array<[string, Uint8Array | string]>, records: Uint8Array[]): string {
  const sums: SegmentChecksums = {
    format: 1,
    files: Object.fromEntries(
      files.map(([name, data]) => [
        name,
        {
          bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length,
          sha256: digest(data).toString('hex'),
        },
      ]),
    ),
    records: Buffer.concat(records.map((r) => digest(r).subarray(0, RECORD_DIGEST_BYTES))).toString('base64'),
  };
  return JSON.stringify(sums);
}

/** A segment's checksums; null for a segment written before they existed. A damaged file throws. */
export async function readChecksums(dir: string): Promise<SegmentChecksums | null> {
  const file = path.join(dir, CHECKSUMS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw new SegmentDamagedError(`${file} cannot be read (${errorCode(error)})`);
  }
  try {
    return checksumsSchema.parse(JSON.parse(text));
  } catch {
    throw new SegmentDamagedError(`${file} is damaged`);
  }
}

/**
 * Checks the catalog's text against its checksum. A catalog that fails it throws a plain Error: without a
 * catalog to trust, the articles of the segment are unknown, and the index is rebuilt.
 */
export function checkCatalogText(dir: string, sums: SegmentChecksums, catalogText: string): void {
  const catalog = sums.files[CATALOG_FILE];
  if (!catalog || digest(catalogText).toString('hex') !== catalog.sha256)
    throw new Error(`${path.join(dir, CATALOG_FILE)} does not match its checksum`);
}

/** Checks the data files' sizes against the checksums; throws `SegmentDamagedError` naming what is wrong. */
export async function checkSizes(dir: string, sums: SegmentChecksums): Promise<void> {
  for (const name of DATA_FILES) {
    const expected = sums.files[name];
    const file = path.join(dir, name);
    const size = await stat(file).then(
      (info) => info.size,
      () => null,
    );
    if (!expected || size === null) throw new SegmentDamagedError(`${file} is missing`);
    if (size !== expected.bytes)
      throw new SegmentDamagedError(`${file} has ${size} bytes, ${expected.bytes} were written`);
  }
}

/** Reads every byte of the segment's data files against their checksums (streamed: the loop stays free). */
export async function verifySegmentFiles(dir: string, sums: SegmentChecksums): Promise<void> {
  for (const name of DATA_FILES) {
    const expected = sums.files[name];
    const file = path.join(dir, name);
    if (!expected) throw new SegmentDamagedError(`${file} has no checksum`);
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
    } catch (error) {
      throw new SegmentDamagedError(`${file} cannot be read (${errorCode(error)})`);
    }
    if (bytes !== expected.bytes || hash.digest('hex') !== expected.sha256)
      throw new SegmentDamagedError(`${file} does not match its checksum`);
  }
}

/** The record digests of a segment, checked as each article's text is read. */
export class RecordDigests {
  private readonly digests: Buffer;

  constructor(sums: SegmentChecksums) {
    this.digests = Buffer.from(sums.records, 'base64');
  }

  /** True when the record of the article at `ordinal` (catalog order) is as it was written. */
  matches(ordinal: number, record: Uint8Array): boolean {
    const at = ordinal * RECORD_DIGEST_BYTES;
    if (at + RECORD_DIGEST_BYTES > this.digests.length) return false;
    return digest(record)
      .subarray(0, RECORD_DIGEST_BYTES)
      .equals(this.digests.subarray(at, at + RECORD_DIGEST_BYTES));
  }
}
