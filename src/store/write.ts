import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { QUOTES_VERSION } from '../quotes/stored.js';
import type { BeforeWrite } from '../util/atomic-write.js';
import type { PassageRow, VectorBackend } from './backend.js';
import { backendFor } from './backends.js';
import {
  type IngestSummary,
  MANIFEST_FORMAT,
  type Manifest,
  type SegmentEntry,
  writeManifest,
} from './manifest.js';
import { type NewArticle, type SegmentInfo, writeSegment } from './segment.js';

/** What must match for an existing index to be updated rather than rebuilt. */
export type IndexIdentity = Pick<Manifest, 'backend' | 'model' | 'passages' | 'lexicon'>;

/** A committed article leaving the index (removed from the corpus, or replaced by a new version). */
export interface Leaving {
  segmentId: string;
  articleId: string;
  passages: number;
  sentences: number;
}

export type WriteStep = 'segment-written' | 'committed';

export interface WriteOptions {
  /** The corpus folder this change comes from, recorded in the manifest. */
  corpusDir?: string;
  beforeWrite?: BeforeWrite;
  /** Test seam: called between the steps a crash could interrupt. */
  checkpoint?: (step: WriteStep) => void | Promise<void>;
}

/** Largest segment in passages: vectra holds a segment's vectors in one JSON file (V8 strings stop at 512 MB). */
export function maxSegmentPassages(backend: VectorBackend['name'], dimension: number): number {
  return backend === 'vectra' ? Math.max(1000, Math.floor(12_000_000 / dimension)) : 250_000;
}

/** Segments written during an ingest hold at most this many passages (what the writer keeps in memory). */
const FLUSH_PASSAGES = 50_000;

/**
 * Writes one change to the index: new articles go into new segments (nothing existing is rewritten; a large
 * build is flushed in several segments as it goes, so memory stays bounded), the backend stores their
 * vectors and drops those of leaving articles, then one atomic manifest write makes it all visible.
 * Killed at any moment, the index is the old one or the new one; leftovers of a failed write are removed
 * (`abort`, or `cleanup` on the next commit; Lance's by the backend's `recover`). Use under the index lock.
 */
export class IndexWriter {
  private readonly written: Array<SegmentInfo & { dir: string }> = [];
  private pending: NewArticle[] = [];
  private pendingPassages = 0;
  private lance: Manifest['lance'];
  private readonly backend: VectorBackend;
  private readonly sequence: number;
  private drop = new Set<string>();

  private constructor(
    private readonly indexDir: string,
    /** The manifest being built on, or null for a rebuild. */
    private readonly base: Manifest | null,
    /** The manifest on disk (even when rebuilding), whose segments stay until this commit. */
    private readonly committed: Manifest | null,
    private readonly identity: IndexIdentity,
    private readonly options: WriteOptions,
    private readonly leaving: Leaving[],
  ) {
    this.backend = backendFor(identity.backend);
    this.sequence = (committed?.sequence ?? 0) + 1;
    this.lance = base?.lance ?? null;
  }

  /**
   * `leaving`: committed articles that go (removed, replaced). `drop`: segments that go whole (found
   * damaged); every live article of theirs must be in `leaving`.
   */
  static async begin(
    indexDir: string,
    committed: Manifest | null,
    identity: IndexIdentity,
    options: WriteOptions & { rebuild: boolean; leaving: Leaving[]; drop?: string[] },
  ): Promise<IndexWriter> {
    await mkdir(indexDir, { recursive: true });
    const base = options.rebuild ? null : committed;
    const writer = new IndexWriter(indexDir, base, committed, identity, options, base ? options.leaving : []);
    writer.drop = new Set(options.drop ?? []);
    await writer.backend.recover(indexDir, committed);
    if (writer.leaving.length > 0) {
      // Before any new version is added: a replaced article's new passages carry its old ids.
      writer.lance = await writer.backend.write(
        indexDir,
        {
          segments: [],
          removedArticles: writer.leaving.map((l) => l.articleId),
          dimension: identity.model.dimension,
          sequence: writer.sequence,
        },
        writer.lance,
      );
    }
    return writer;
  }

  /** Adds articles; they are written out in segments as they accumulate. */
  async add(articles: NewArticle[]): Promise<void> {
    for (const article of articles) {
      this.pending.push(article);
      this.pendingPassages += article.passageVectors.length;
      const limit = Math.min(
        FLUSH_PASSAGES,
        maxSegmentPassages(this.identity.backend, this.identity.model.dimension),
      );
      if (this.pendingPassages >= limit) await this.flush();
    }
  }

  /** Writes what is pending, drops the leaving articles' vectors, and commits the new manifest. */
  async commit(summary: (counts: Manifest['counts']) => IngestSummary): Promise<Manifest> {
    await this.flush();
    const leaving = this.leaving;
    if (!this.base && this.lance === null && this.identity.backend === 'lancedb') await this.writeVectors([]); // an empty index still has a table
    const bySegment = new Map<string, Leaving[]>();
    for (const l of leaving) bySegment.set(l.segmentId, [...(bySegment.get(l.segmentId) ?? []), l]);
    const kept: SegmentEntry[] = (this.base?.segments ?? [])
      .filter((s) => !this.drop.has(s.id))
      .map((s) => {
        const going = (bySegment.get(s.id) ?? []).filter((l) => !s.deleted.includes(l.articleId));
        return {
          ...s,
          deleted: [...s.deleted, ...going.map((l) => l.articleId)],
          deletedPassages: s.deletedPassages + going.reduce((n, l) => n + l.passages, 0),
        };
      });
    const segments: SegmentEntry[] = [
      ...kept,
      ...this.written.map(({ dir: _dir, ...info }) => ({ ...info, deleted: [], deletedPassages: 0 })),
    ];
    const counts = { ...(this.base?.counts ?? { articles: 0, passages: 0, sentences: 0 }) };
    for (const l of leaving) {
      counts.articles -= 1;
      counts.passages -= l.passages;
      counts.sentences -= l.sentences;
    }
    for (const w of this.written) {
      counts.articles += w.articles;
      counts.passages += w.passages;
      counts.sentences += w.sentences;
    }
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      quotes: { version: QUOTES_VERSION },
      backend: this.identity.backend,
      sequence: this.sequence,
      model: this.identity.model,
      passages: this.identity.passages,
      lexicon: this.identity.lexicon,
      counts,
      segments,
      retired: retiredBy(this.committed, segments),
      lance: this.lance,
      lastIngest: summary(counts),
      ...(this.options.corpusDir ? { corpusDir: this.options.corpusDir } : {}),
    };
    await writeManifest(this.indexDir, manifest);
    await this.options.checkpoint?.('committed');
    await cleanup(this.indexDir, manifest, this.backend);
    return manifest;
  }

  /** After a failure: removes the segments this writer wrote (nothing was committed). */
  async abort(): Promise<void> {
    for (const w of this.written) await rm(w.dir, { recursive: true, force: true }).catch(() => {});
    await removeUncommitted(this.indexDir, this.committed).catch(() => {});
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const articles = this.pending;
    this.pending = [];
    this.pendingPassages = 0;
    const id = `seg-${this.sequence.toString(36).padStart(5, '0')}-${this.written.length}`;
    const dir = path.join(this.indexDir, id);
    await rm(dir, { recursive: true, force: true }); // left by an attempt that never committed
    const info = await writeSegment(
      dir,
      id,
      articles,
      this.identity.model.dimension,
      this.options.beforeWrite,
    );
    this.written.push({ ...info, dir });
    await this.writeVectors([{ id, dir, rows: passageRows(articles) }]);
    await this.options.checkpoint?.('segment-written');
  }

  private async writeVectors(
    segments: Array<{ id: string; dir: string; rows: PassageRow[] }>,
  ): Promise<void> {
    // The first write of a rebuild starts a new store (this.lance is null); later ones append to it.
    this.lance = await this.backend.write(
      this.indexDir,
      { segments, removedArticles: [], dimension: this.identity.model.dimension, sequence: this.sequence },
      this.lance,
    );
  }
}

/** Records new backend state (after maintenance) or merged segments, keeping everything else. */
export async function commitMaintenance(
  indexDir: string,
  committed: Manifest,
  update: { segments?: SegmentEntry[]; lance?: Manifest['lance'] },
): Promise<Manifest> {
  const segments = update.segments ?? committed.segments;
  const next: Manifest = {
    ...committed,
    sequence: committed.sequence + 1,
    segments,
    retired: retiredBy(committed, segments),
    lance: update.lance === undefined ? committed.lance : update.lance,
  };
  await writeManifest(indexDir, next);
  await cleanup(indexDir, next, backendFor(next.backend));
  return next;
}

/** Segments the committed manifest used that `segments` drops: kept on disk one more commit. */
function retiredBy(committed: Manifest | null, segments: SegmentEntry[]): string[] {
  const now = new Set(segments.map((s) => s.id));
  return (committed?.segments ?? []).map((s) => s.id).filter((id) => !now.has(id));
}

/** Vector rows of articles: one per passage, with the fields filters look at. */
export function passageRows(articles: NewArticle[]): PassageRow[] {
  return articles.flatMap((a) =>
    a.passageVectors.map((vector, passage) => ({
      articleId: a.meta.id,
      passage,
      outlet: a.meta.outlet ?? '',
      day: a.meta.date ? Number(a.meta.date.replaceAll('-', '')) : 0,
      vector,
    })),
  );
}

/**
 * Removes segment folders no manifest needs (neither current nor retired), older-format generations,
 * temporary files of interrupted writes, and the backend's unreferenced data.
 */
export async function cleanup(indexDir: string, manifest: Manifest, backend: VectorBackend): Promise<void> {
  const keep = new Set([...manifest.segments.map((s) => s.id), ...manifest.retired]);
  const entries = await readdir(indexDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const stale =
      (entry.isDirectory() &&
        (entry.name.startsWith('seg-') || entry.name.startsWith('gen-')) &&
        !keep.has(entry.name)) ||
      (entry.isFile() && entry.name.startsWith('.') && entry.name.endsWith('.tmp'));
    if (stale) await rm(path.join(indexDir, entry.name), { recursive: true, force: true });
  }
  await backend.cleanup(indexDir, manifest);
}

/** After a failed write: segment folders the committed manifest does not name. */
async function removeUncommitted(indexDir: string, committed: Manifest | null): Promise<void> {
  const keep = new Set([...(committed?.segments ?? []).map((s) => s.id), ...(committed?.retired ?? [])]);
  const entries = await readdir(indexDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isDirectory() && entry.name.startsWith('seg-') && !keep.has(entry.name))
      await rm(path.join(indexDir, entry.name), { recursive: true, force: true });
  }
}
