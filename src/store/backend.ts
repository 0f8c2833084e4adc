import type { Manifest } from './manifest.js';
import type { SegmentReader } from './segment.js';

/** What the dense side of a search may be narrowed to (the same filters the lexical side applies). */
export interface NearestFilter {
  /** The outlet exactly as the archive spells it. */
  outlet: string | null;
  /** Dates as day numbers (20240828); undated articles (day 0) fail any date filter. */
  sinceDay: number | null;
  untilDay: number | null;
  /** Only these articles (digests search among the articles new since their last run). */
  articleIds: ReadonlySet<string> | null;
}

export interface NearestHit {
  articleId: string;
  passage: number;
}

/** A passage as a vector backend stores it: its vector and the fields filters look at. */
export interface PassageRow {
  articleId: string;
  passage: number;
  outlet: string;
  /** The article's date as a day number, 0 when undated. */
  day: number;
  vector: Float32Array;
}

/** The live articles of an open index, as a backend needs them to read its own data. */
export interface LiveSegments {
  readers: ReadonlyMap<string, SegmentReader>;
  /** Per segment id, the article ids it holds that were removed or replaced since. */
  deleted: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The backend's answer to nearest-neighbour questions over the passages of one manifest. */
export interface VectorReader {
  /** The `k` passages closest to `vector` (cosine) that pass `filter`, closest first. */
  nearest(vector: Float32Array, k: number, filter: NearestFilter): Promise<NearestHit[]>;
  close(): Promise<void>;
}

export interface VectorWrite {
  /** New segments and their passages, in the order they are written. */
  segments: Array<{ id: string; dir: string; rows: PassageRow[] }>;
  /** Articles whose passages leave the index (removed from the corpus, or replaced by a new version). */
  removedArticles: string[];
  dimension: number;
  /** The sequence number the manifest of this write will carry. */
  sequence: number;
}

/**
 * Where passage vectors live and how their nearest neighbours are found: the one part of the index that
 * differs between backends. Article text, sentence vectors and the lexical index are in segments for both,
 * so both give the same answers for the same candidates (the final cosine is always computed from the
 * segment's exact vectors; a backend only proposes the dense candidates).
 */
export interface VectorBackend {
  readonly name: Manifest['backend'];
  /** Under the ingest lock, before a write: undo anything written after the last commit (a crash). */
  recover(indexDir: string, committed: Manifest | null): Promise<void>;
  /**
   * Writes a change on top of `current` (null: start a new, empty store, as a rebuild does); returns the
   * state the next manifest records. Nothing is visible to readers until that manifest is committed.
   */
  write(indexDir: string, change: VectorWrite, current: Manifest['lance']): Promise<Manifest['lance']>;
  /** Rewrites the vectors of a merged segment (vectra keeps them per segment; LanceDB by article id). */
  merged(segment: { id: string; dir: string; rows: PassageRow[] }): Promise<void>;
  open(indexDir: string, manifest: Manifest, live: LiveSegments): Promise<VectorReader>;
  /** Background upkeep after a commit (compaction, ANN index); a new state to commit, or null. */
  maintain(indexDir: string, manifest: Manifest): Promise<Manifest['lance'] | null>;
  /** Removes data no manifest refers to any more. */
  cleanup(indexDir: string, manifest: Manifest): Promise<void>;
}

/** Single quotes doubled, for the SQL filters LanceDB takes. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
