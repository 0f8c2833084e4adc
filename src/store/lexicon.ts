import type { FileHandle } from 'node:fs/promises';
import { at } from '../util/checked.js';

/**
 * A segment's lexical index on disk: BM25 postings of its passages, written once and read on demand.
 *
 *   header      magic, version, docs, terms, entries, bytes of the term list
 *   head        doc lengths (u32 × docs), doc → article ordinal (u32 × docs), term offsets (u32 × terms+1),
 *               the sorted term list as JSON (padded to 4 bytes)
 *   postings    doc numbers (u32 × entries), then term frequencies (u16 × entries)
 *
 * Opening reads the header and the head (a few bytes per passage and per term); postings are read per
 * term when a question uses it, so start-up does not grow with the archive's text.
 */

const MAGIC = 0x584c4443; // 'CDLX'
const VERSION = 1;
const HEADER_BYTES = 24;

export interface LexiconInput {
  /** Analysed terms of each passage (document), in segment order. */
  docs: string[][];
  /** The article ordinal (within the segment) of each document. */
  docArticle: number[];
}

export function serializeLexicon({ docs, docArticle }: LexiconInput): Uint8Array {
  const postings = new Map<string, Array<[number, number]>>();
  docs.forEach((terms, doc) => {
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, tf] of counts) {
      const list = postings.get(term);
      if (list) list.push([doc, Math.min(tf, 0xffff)]);
      else postings.set(term, [[doc, Math.min(tf, 0xffff)]]);
    }
  });
  const terms = [...postings.keys()].sort();
  const termsJson = Buffer.from(JSON.stringify(terms), 'utf8');
  const termsPadded = align4(termsJson.length);
  const entries = terms.reduce((n, t) => n + (postings.get(t)?.length ?? 0), 0);
  const headBytes = docs.length * 8 + (terms.length + 1) * 4 + termsPadded;
  const total = HEADER_BYTES + headBytes + entries * 4 + align4(entries * 2);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, docs.length, true);
  view.setUint32(12, terms.length, true);
  view.setUint32(16, entries, true);
  view.setUint32(20, termsJson.length, true);
  let at = HEADER_BYTES;
  for (const terms of docs) {
    view.setUint32(at, terms.length, true);
    at += 4;
  }
  for (const ordinal of docArticle) {
    view.setUint32(at, ordinal, true);
    at += 4;
  }
  let offset = 0;
  for (const term of terms) {
    view.setUint32(at, offset, true);
    at += 4;
    offset += postings.get(term)?.length ?? 0;
  }
  view.setUint32(at, offset, true);
  at += 4;
  out.set(termsJson, at);
  at += termsPadded;
  const tfBase = at + entries * 4;
  let k = 0;
  for (const term of terms) {
    for (const [doc, tf] of postings.get(term) ?? []) {
      view.setUint32(at + k * 4, doc, true);
      view.setUint16(tfBase + k * 2, tf, true);
      k++;
    }
  }
  return out;
}

export interface Postings {
  docs: Uint32Array;
  tfs: Uint16Array;
}

/** The lexical index of one segment, open for reading. */
export class LexiconReader {
  private readonly cache = new Map<string, Postings>();
  private cachedBytes = 0;

  private constructor(
    private readonly file: FileHandle,
    private readonly name: string,
    readonly docLengths: Uint32Array,
    readonly docArticle: Uint32Array,
    private readonly offsets: Uint32Array,
    private readonly termIndex: Map<string, number>,
    private readonly postingsBase: number,
    private readonly tfBase: number,
    private readonly cacheLimitBytes: number,
  ) {}

  static async open(
    file: FileHandle,
    name: string,
    cacheLimitBytes = 8 * 1024 * 1024,
  ): Promise<LexiconReader> {
    const header = await readExactly(file, 0, HEADER_BYTES, name);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION)
      throw new Error(`${name} is not a lexicon file of this version`);
    const docs = view.getUint32(8, true);
    const termCount = view.getUint32(12, true);
    const entries = view.getUint32(16, true);
    const termsBytes = view.getUint32(20, true);
    const headBytes = docs * 8 + (termCount + 1) * 4 + align4(termsBytes);
    const head = await readExactly(file, HEADER_BYTES, headBytes, name);
    const u32 = (from: number, count: number) => {
      const array = new Uint32Array(count);
      new Uint8Array(array.buffer).set(head.subarray(from, from + count * 4));
      return array;
    };
    const docLengths = u32(0, docs);
    const docArticle = u32(docs * 4, docs);
    const offsets = u32(docs * 8, termCount + 1);
    const termsAt = docs * 8 + (termCount + 1) * 4;
    const terms = JSON.parse(Buffer.from(head.subarray(termsAt, termsAt + termsBytes)).toString('utf8'));
    if (!Array.isArray(terms) || terms.length !== termCount || offsets[termCount] !== entries)
      throw new Error(`${name} is damaged (its term list does not match its header)`);
    const termIndex = new Map<string, number>();
    terms.forEach((term, i) => {
      termIndex.set(String(term), i);
    });
    const postingsBase = HEADER_BYTES + headBytes;
    return new LexiconReader(
      file,
      name,
      docLengths,
      docArticle,
      offsets,
      termIndex,
      postingsBase,
      postingsBase + entries * 4,
      cacheLimitBytes,
    );
  }

  get docCount(): number {
    return this.docLengths.length;
  }

  /** Whether some passage of this segment uses `term` (from the term list in memory). */
  has(term: string): boolean {
    return this.termIndex.has(term);
  }

  /** The documents holding `term` and how often, or null when no passage of this segment uses it. */
  async postings(term: string): Promise<Postings | null> {
    const index = this.termIndex.get(term);
    if (index === undefined) return null;
    const cached = this.cache.get(term);
    if (cached) {
      // Move to the back: most recently used.
      this.cache.delete(term);
      this.cache.set(term, cached);
      return cached;
    }
    const from = at(this.offsets, index);
    const count = at(this.offsets, index + 1) - from;
    const [docBytes, tfBytes] = await Promise.all([
      readExactly(this.file, this.postingsBase + from * 4, count * 4, this.name),
      readExactly(this.file, this.tfBase + from * 2, count * 2, this.name),
    ]);
    const docs = new Uint32Array(count);
    new Uint8Array(docs.buffer).set(docBytes);
    const tfs = new Uint16Array(count);
    new Uint8Array(tfs.buffer).set(tfBytes);
    const postings = { docs, tfs };
    this.remember(term, postings, count * 6);
    return postings;
  }

  private remember(term: string, postings: Postings, bytes: number): void {
    if (bytes > this.cacheLimitBytes / 4) return;
    this.cache.set(term, postings);
    this.cachedBytes += bytes;
    for (const [oldest, value] of this.cache) {
      if (this.cachedBytes <= this.cacheLimitBytes) break;
      this.cache.delete(oldest);
      this.cachedBytes -= value.docs.length * 6;
    }
  }
}

/** Reads exactly `length` bytes at `position`, or says which file is too short. */
export async function readExactly(
  file: FileHandle,
  position: number,
  length: number,
  name: string,
): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`${name} is truncated (wanted ${length} bytes at ${position})`);
    done += bytesRead;
  }
  return buffer;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
