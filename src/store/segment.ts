import { type FileHandle, mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { describeError } from '../errors.js';
import { storedQuoteSchema } from '../quotes/stored.js';
import { analyze } from '../text/terms.js';
import { type BeforeWrite, syncDirectory, writeSynced } from '../util/atomic-write.js';
import { at } from '../util/checked.js';
import {
  MATRIX_HEADER_BYTES,
  type QuantizedMatrix,
  quantizeRows,
  readMatrix,
  readMatrixHeader,
  readMatrixRows,
  rowVector,
  serializeMatrix,
} from '../vectors/sentence-vectors.js';
import type { ArticleMeta, ArticleText } from './article-view.js';
import { LexiconReader, readExactly, serializeLexicon } from './lexicon.js';
import {
  CHECKSUMS_FILE,
  checkCatalogText,
  checkSizes,
  checksumsJson,
  RecordDigests,
  readChecksums,
  type SegmentChecksums,
  SegmentDamagedError,
  verifySegmentFiles,
} from './segment-checksums.js';

/**
 * A segment: an immutable folder holding a batch of articles (those one ingest added, or several older
 * segments merged), never rewritten once written:
 *
 *   catalog.json    the articles' metadata and where their text and vectors lie
 *   articles.bin    each article's text, sentence/passage offsets and, for a paged document, where each
 *                   page starts (one JSON record each, read in place)
 *   passages.f32    passage vectors (float32), for exact cosines of candidates and for merges
 *   sentences.bin   sentence vectors (int8 with a scale per row), for quotes
 *   lexicon.bin     BM25 postings of the passages
 *   checksums.json  each file's size and hash, and each article record's (see segment-checksums.ts)
 *
 * A backend may add its own files (vectra keeps `vectra/index.json` here). Articles removed or replaced
 * later stay in the files and are masked by the manifest's `deleted` list until a merge drops them.
 */

export const SEGMENT_FORMAT = 1;
const VECTOR_MAGIC = 0x56504443; // 'CDPV'
/** A segment whose passage vectors take at most this much is kept in memory once read. */
const KEEP_VECTORS_BYTES = 16 * 1024 * 1024;
/** Rows this close together are read in one go (reading a few unused rows beats another read). */
const MAX_ROW_GAP = 8;
const VECTOR_HEADER_BYTES = 16;

/** An article ready to be written: metadata, text, and the vectors the embedder made for it. */
export interface NewArticle {
  meta: Omit<ArticleMeta, 'passageCount' | 'sentenceCount'>;
  text: ArticleText;
  /** One unit vector per passage. */
  passageVectors: Float32Array[];
  /** One unit vector per sentence. */
  sentenceVectors: Float32Array[];
}

const fileStamp = z.object({ size: z.number(), mtimeMs: z.number(), hash: z.string() });
const catalogEntry = z.object({
  id: z.string(),
  source: z.string(),
  title: z.string(),
  date: z.string().nullable(),
  outlet: z.string().nullable(),
  url: z.string().nullable(),
  author: z.string().nullable(),
  hash: z.string(),
  addedAt: z.string(),
  file: fileStamp.nullable(),
  speakers: z.array(z.tuple([z.string(), z.number().int().positive()])).optional(),
  passageCount: z.number().int().nonnegative(),
  sentenceCount: z.number().int().nonnegative(),
  /** Byte offset and length of the article's record in articles.bin. */
  record: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  /** Its first passage's row in passages.f32 and document number in lexicon.bin. */
  firstDoc: z.number().int().nonnegative(),
  /** Its first sentence's row in sentences.bin. */
  firstSentence: z.number().int().nonnegative(),
});
export type CatalogEntry = z.infer<typeof catalogEntry>;

const catalogHeader = z.object({
  format: z.literal(SEGMENT_FORMAT),
  id: z.string(),
  dimension: z.number().int().positive(),
  passages: z.number().int().nonnegative(),
  sentences: z.number().int().nonnegative(),
  articles: z.array(z.unknown()),
});

type Catalog = Omit<z.infer<typeof catalogHeader>, 'articles'> & { articles: CatalogEntry[] };

/**
 * A catalog file, checked: its header with zod, and each of its (possibly 100,000) entries by
 * `isCatalogEntry`, a hand-written check of the same shape that is an order of magnitude faster than
 * zod's, because opening an index reads every catalog.
 */
function parseCatalog(text: string): Catalog {
  const header = catalogHeader.parse(JSON.parse(text));
  header.articles.forEach((entry, i) => {
    if (!isCatalogEntry(entry)) {
      // Let zod say precisely what is wrong with the first bad entry.
      const issue = catalogEntry.safeParse(entry).error?.issues[0];
      throw new Error(`article ${i + 1}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
    }
  });
  return header as Catalog;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringOrNull = (v: unknown) => v === null || typeof v === 'string';
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function isSpeakerCounts(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every((p) => Array.isArray(p) && p.length === 2 && isString(p[0]) && isCount(p[1]) && p[1] > 0)
  );
}

function isCatalogEntry(value: unknown): value is CatalogEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  const file = e.file as Record<string, unknown> | null | undefined;
  const record = e.record as unknown[] | undefined;
  return (
    isString(e.id) &&
    isString(e.source) &&
    isString(e.title) &&
    isStringOrNull(e.date) &&
    isStringOrNull(e.outlet) &&
    isStringOrNull(e.url) &&
    isStringOrNull(e.author) &&
    isString(e.hash) &&
    isString(e.addedAt) &&
    (file === null ||
      (typeof file === 'object' &&
        file !== undefined &&
        typeof file.size === 'number' &&
        typeof file.mtimeMs === 'number' &&
        isString(file.hash))) &&
    (e.speakers === undefined || isSpeakerCounts(e.speakers)) &&
    isCount(e.passageCount) &&
    isCount(e.sentenceCount) &&
    Array.isArray(record) &&
    record.length === 2 &&
    isCount(record[0]) &&
    isCount(record[1]) &&
    isCount(e.firstDoc) &&
    isCount(e.firstSentence)
  );
}

const articleTextSchema = z.object({
  body: z.string(),
  sentences: z.array(z.number().int()),
  passages: z.array(z.number().int()),
  pages: z.array(z.number().int().nonnegative()).optional(),
  quotes: z.array(storedQuoteSchema).optional(),
});

/** What the manifest records of a segment. */
export interface SegmentInfo {
  id: string;
  articles: number;
  passages: number;
  sentences: number;
  bytes: number;
}

/** Analysed terms of each passage: the terms of its sentences, in order (as BM25 and quotes read them). */
export function passageTerms(text: ArticleText): string[][] {
  const sentences: string[][] = [];
  for (let i = 0; i < text.sentences.length; i += 2)
    sentences.push(analyze(text.body.slice(text.sentences[i], text.sentences[i + 1])));
  const passages: string[][] = [];
  for (let p = 0; p < text.passages.length; p += 2)
    passages.push(sentences.slice(text.passages[p], at(text.passages, p + 1) + 1).flat());
  return passages;
}

/** Writes a complete segment folder and syncs it. It is not part of the index until a manifest names it. */
export async function writeSegment(
  dir: string,
  id: string,
  articles: NewArticle[],
  dimension: number,
  beforeWrite?: BeforeWrite,
): Promise<SegmentInfo> {
  await mkdir(dir, { recursive: true });
  const entries: CatalogEntry[] = [];
  const records: Buffer[] = [];
  const passageRows: Float32Array[] = [];
  const sentenceRows: Float32Array[] = [];
  const docs: string[][] = [];
  const docArticle: number[] = [];
  let offset = 0;
  articles.forEach((article, ordinal) => {
    const passageCount = article.text.passages.length / 2;
    const sentenceCount = article.text.sentences.length / 2;
    if (article.passageVectors.length !== passageCount || article.sentenceVectors.length !== sentenceCount)
      throw new Error(`article ${article.meta.id}: vectors do not match its passages and sentences`);
    const record = Buffer.from(JSON.stringify(article.text), 'utf8');
    entries.push({
      ...article.meta,
      passageCount,
      sentenceCount,
      record: [offset, record.length],
      firstDoc: passageRows.length,
      firstSentence: sentenceRows.length,
    });
    records.push(record);
    offset += record.length;
    passageRows.push(...article.passageVectors);
    sentenceRows.push(...article.sentenceVectors);
    for (const terms of passageTerms(article.text)) {
      docs.push(terms);
      docArticle.push(ordinal);
    }
  });
  const data: Array<[string, Uint8Array | string]> = [
    ['articles.bin', Buffer.concat(records)],
    ['passages.f32', serializeVectors(passageRows, dimension)],
    ['sentences.bin', serializeMatrix(quantizeRows(sentenceRows, dimension))],
    ['lexicon.bin', serializeLexicon({ docs, docArticle })],
  ];
  const catalog: [string, string] = [
    'catalog.json',
    JSON.stringify({
      format: SEGMENT_FORMAT,
      id,
      dimension,
      passages: passageRows.length,
      sentences: sentenceRows.length,
      articles: entries,
    }),
  ];
  const files: Array<[string, Uint8Array | string]> = [
    ...data,
    [CHECKSUMS_FILE, checksumsJson([...data, catalog], records)],
    // Last: a catalog that exists belongs to a segment whose other files were written.
    catalog,
  ];
  let bytes = 0;
  for (const [name, data] of files) {
    await writeSynced(path.join(dir, name), data, { exclusive: true, beforeWrite });
    bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  }
  await syncDirectory(dir);
  await syncDirectory(path.dirname(dir));
  return {
    id,
    articles: entries.length,
    passages: passageRows.length,
    sentences: sentenceRows.length,
    bytes,
  };
}

function serializeVectors(rows: Float32Array[], dimension: number): Uint8Array {
  const out = new Uint8Array(VECTOR_HEADER_BYTES + rows.length * dimension * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, VECTOR_MAGIC, true);
  view.setUint32(4, 1, true);
  view.setUint32(8, dimension, true);
  view.setUint32(12, rows.length, true);
  const floats = new Float32Array(out.buffer, VECTOR_HEADER_BYTES, rows.length * dimension);
  rows.forEach((row, r) => {
    if (row.length !== dimension)
      throw new Error(`a passage vector has ${row.length} dimensions, not ${dimension}`);
    floats.set(row, r * dimension);
  });
  return out;
}

/** An open segment: its catalog in memory, its text and vectors read in place when asked for. */
export class SegmentReader {
  private constructor(
    readonly id: string,
    readonly dir: string,
    readonly dimension: number,
    readonly catalog: CatalogEntry[],
    readonly lexicon: LexiconReader,
    private readonly files: {
      articles: FileHandle;
      passages: FileHandle;
      sentences: FileHandle;
      lexicon: FileHandle;
    },
    private readonly sentenceHeader: { dim: number; rows: number },
    /** The records' checksums; null for a segment written before checksums existed. */
    private readonly records: RecordDigests | null,
  ) {}

  /**
   * Opens a segment, checking its catalog and its files' sizes against its checksums (a damaged segment
   * throws `SegmentDamagedError`: `npm run ingest` then reads its articles again from the corpus).
   */
  static async open(dir: string): Promise<SegmentReader> {
    const { catalog: parsed, text } = await readCatalogFile(dir);
    const sums = await readChecksums(dir);
    if (sums) {
      checkCatalogText(dir, sums, text);
      await checkSizes(dir, sums);
    }
    const handles: FileHandle[] = [];
    const openFile = async (name: string) => {
      const handle = await open(path.join(dir, name), 'r');
      handles.push(handle);
      return handle;
    };
    try {
      const files = {
        articles: await openFile('articles.bin'),
        passages: await openFile('passages.f32'),
        sentences: await openFile('sentences.bin'),
        lexicon: await openFile('lexicon.bin'),
      };
      const sentenceHeader = readMatrixHeader(
        await readExactly(files.sentences, 0, MATRIX_HEADER_BYTES, path.join(dir, 'sentences.bin')),
        path.join(dir, 'sentences.bin'),
      );
      const vectorHeader = await readExactly(
        files.passages,
        0,
        VECTOR_HEADER_BYTES,
        path.join(dir, 'passages.f32'),
      );
      const view = new DataView(vectorHeader.buffer);
      if (view.getUint32(0, true) !== VECTOR_MAGIC || view.getUint32(12, true) !== parsed.passages)
        throw new Error(`${path.join(dir, 'passages.f32')} does not match its catalog`);
      if (sentenceHeader.rows !== parsed.sentences)
        throw new Error(`${path.join(dir, 'sentences.bin')} does not match its catalog`);
      const lexicon = await LexiconReader.open(files.lexicon, path.join(dir, 'lexicon.bin'));
      if (lexicon.docCount !== parsed.passages)
        throw new Error(`${path.join(dir, 'lexicon.bin')} does not match its catalog`);
      return new SegmentReader(
        parsed.id,
        dir,
        parsed.dimension,
        parsed.articles,
        lexicon,
        files,
        sentenceHeader,
        sums ? new RecordDigests(sums) : null,
      );
    } catch (error) {
      await Promise.all(handles.map((h) => h.close().catch(() => {})));
      throw error;
    }
  }

  private ordinals: Map<CatalogEntry, number> | null = null;

  /**
   * An article's text and offsets, checked against its record's checksum: a record that fails it throws
   * `SegmentDamagedError` and is never returned.
   */
  async text(entry: CatalogEntry): Promise<ArticleText> {
    const [offset, length] = entry.record;
    const name = path.join(this.dir, 'articles.bin');
    const bytes = await readExactly(this.files.articles, offset, length, name);
    if (this.records) {
      this.ordinals ??= new Map(this.catalog.map((e, i) => [e, i]));
      const ordinal = this.ordinals.get(entry);
      if (ordinal === undefined || !this.records.matches(ordinal, bytes))
        throw new SegmentDamagedError(
          `${name} is damaged at article ${entry.id}: its text fails its checksum`,
        );
    }
    try {
      return articleTextSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    } catch (error) {
      throw new Error(`${name} is damaged at article ${entry.id} (${describe(error)})`);
    }
  }

  sentenceVectors(entry: CatalogEntry): Promise<QuantizedMatrix> {
    const name = path.join(this.dir, 'sentences.bin');
    return readMatrixRows(
      (position, length) => readExactly(this.files.sentences, position, length, name),
      this.sentenceHeader,
      entry.firstSentence,
      entry.sentenceCount,
    );
  }

  /**
   * Passage vectors by document number (row), exactly as embedded. A small segment's vectors are read once
   * and kept (a few MB); a large one's are read in place, neighbouring rows in one read.
   */
  async passageVectors(docs: number[]): Promise<Float32Array[]> {
    const rowFloats = this.dimension;
    const whole = await this.smallVectors();
    if (whole) return docs.map((doc) => whole.slice(doc * rowFloats, (doc + 1) * rowFloats));
    const name = path.join(this.dir, 'passages.f32');
    const rowBytes = rowFloats * 4;
    const out = new Array<Float32Array>(docs.length);
    const order = docs.map((doc, at) => ({ doc, at })).sort((a, b) => a.doc - b.doc);
    const runs: Array<Array<{ doc: number; at: number }>> = [];
    for (const item of order) {
      const run = runs.at(-1);
      const last = run?.at(-1);
      if (run && last && item.doc - last.doc <= MAX_ROW_GAP) run.push(item);
      else runs.push([item]);
    }
    await Promise.all(
      runs.map(async (run) => {
        const first = (run[0] as { doc: number }).doc;
        const last = (run.at(-1) as { doc: number }).doc;
        const bytes = await readExactly(
          this.files.passages,
          VECTOR_HEADER_BYTES + first * rowBytes,
          (last - first + 1) * rowBytes,
          name,
        );
        const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
        for (const { doc, at } of run)
          out[at] = floats.slice((doc - first) * rowFloats, (doc - first + 1) * rowFloats);
      }),
    );
    return out;
  }

  private wholeVectors: Promise<Float32Array | null> | null = null;

  /** All of a small segment's passage vectors, read once; null for a large segment. */
  private smallVectors(): Promise<Float32Array | null> {
    this.wholeVectors ??= (async () => {
      const rows = this.lexicon.docCount;
      if (rows * this.dimension * 4 > KEEP_VECTORS_BYTES) return null;
      const bytes = await readExactly(
        this.files.passages,
        VECTOR_HEADER_BYTES,
        rows * this.dimension * 4,
        path.join(this.dir, 'passages.f32'),
      );
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    })();
    return this.wholeVectors;
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.files).map((h) => h.close().catch(() => {})));
  }
}

function describe(error: unknown): string {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return `${issue?.path.join('.') || 'content'}: ${issue?.message ?? 'invalid'}`;
  }
  return describeError(error).split('\n')[0] ?? '';
}

/** Everything a segment holds, read whole (for merges, which read most of it anyway). */
export async function readWholeSegment(reader: SegmentReader): Promise<{
  text: (entry: CatalogEntry) => ArticleText;
  passageVectors: (entry: CatalogEntry) => Float32Array[];
  sentenceVectors: (entry: CatalogEntry) => Float32Array[];
}> {
  const dir = reader.dir;
  // A merge copies what it reads into a new segment with new checksums: it must not copy damage.
  const sums = await readChecksums(dir);
  if (sums) await verifySegmentFiles(dir, sums);
  const [articles, passages, sentences] = await Promise.all([
    readFile(path.join(dir, 'articles.bin')),
    readFile(path.join(dir, 'passages.f32')),
    readMatrix(path.join(dir, 'sentences.bin')),
  ]);
  const dim = reader.dimension;
  const floats = new Float32Array(passages.length / 4 - VECTOR_HEADER_BYTES / 4);
  new Uint8Array(floats.buffer).set(passages.subarray(VECTOR_HEADER_BYTES));
  return {
    text: (entry) => {
      const [offset, length] = entry.record;
      return articleTextSchema.parse(JSON.parse(articles.subarray(offset, offset + length).toString('utf8')));
    },
    passageVectors: (entry) =>
      Array.from({ length: entry.passageCount }, (_, p) =>
        floats.slice((entry.firstDoc + p) * dim, (entry.firstDoc + p + 1) * dim),
      ),
    sentenceVectors: (entry) =>
      Array.from({ length: entry.sentenceCount }, (_, s) => rowVector(sentences, entry.firstSentence + s)),
  };
}

/** A segment's catalog file, read and parsed (an Error naming it when it cannot be). */
async function readCatalogFile(dir: string): Promise<{ catalog: Catalog; text: string }> {
  const file = path.join(dir, 'catalog.json');
  try {
    const text = await readFile(file, 'utf8');
    return { catalog: parseCatalog(text), text };
  } catch (error) {
    throw new Error(`${file} is missing or damaged (${describe(error)})`);
  }
}

/** A segment's articles as its catalog lists them, with its checksums (null: none, or damaged). */
export interface CatalogRead {
  articles: ArticleMeta[];
  sums: SegmentChecksums | null;
  /** Why the segment's checksums cannot be used, or null. */
  damage: string | null;
}

/**
 * A segment's articles (metadata only), without opening its other files: for planning an ingest. A
 * catalog that cannot be read, or fails its checksum, throws: the segment's articles are then unknown.
 */
export async function readCatalog(dir: string): Promise<CatalogRead> {
  const { catalog, text } = await readCatalogFile(dir);
  let sums: SegmentChecksums | null = null;
  let damage: string | null = null;
  try {
    sums = await readChecksums(dir);
  } catch (error) {
    if (!(error instanceof SegmentDamagedError)) throw error;
    damage = error.message;
  }
  if (sums) checkCatalogText(dir, sums, text);
  const articles = catalog.articles.map(({ record: _r, firstDoc: _d, firstSentence: _s, ...meta }) => meta);
  return { articles, sums, damage };
}

/**
 * What is wrong with a segment's files, or null: sizes against its checksums, and with `verify` every
 * byte. A segment written before checksums existed is taken as it is.
 */
export async function segmentDamage(dir: string, read: CatalogRead, verify: boolean): Promise<string | null> {
  if (read.damage) return read.damage;
  if (!read.sums) return null;
  try {
    await checkSizes(dir, read.sums);
    if (verify) await verifySegmentFiles(dir, read.sums);
    return null;
  } catch (error) {
    if (error instanceof SegmentDamagedError) return error.message;
    throw error;
  }
}
