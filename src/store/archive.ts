import path from 'node:path';
import { describeError } from '../errors.js';
import { type ArticleMeta, ArticleView } from './article-view.js';
import type { NearestFilter, NearestHit, VectorBackend, VectorReader } from './backend.js';
import { backendFor } from './backends.js';
import { LexicalIndex } from './lexical.js';
import { damaged, type Manifest, readManifest } from './manifest.js';
import { type CatalogEntry, SegmentReader } from './segment.js';
import { SegmentDamagedError } from './segment-checksums.js';

/** Where a live article is stored. */
interface Located {
  reader: SegmentReader;
  entry: CatalogEntry;
}

/** A passage: article and passage number (its vector id is `<article>:<passage>`). */
export interface PassageRef {
  articleId: string;
  passage: number;
}

/**
 * An index open for reading: the manifest's live articles (metadata only, in memory), their text and
 * vectors read from the segments on demand, the lexical index, and the backend's nearest-neighbour search.
 * Opening reads catalogs and lexicon heads, never the articles' text, so it stays fast as the archive grows.
 * Immutable: a new manifest is opened as a new reader (`reopen` reuses the unchanged segments).
 */
export class ArchiveReader {
  private constructor(
    readonly indexDir: string,
    readonly manifest: Manifest,
    /** Live articles, sorted by source. */
    readonly articles: readonly ArticleMeta[],
    private readonly located: Map<string, Located>,
    private readonly segments: ReadonlyMap<string, SegmentReader>,
    readonly lexical: LexicalIndex,
    private readonly vectors: VectorReader,
  ) {}

  /**
   * Told when an article's text fails its checksum (it is left out of `views`): the caller logs it and
   * names the repair. Set by whoever holds the reader.
   */
  onDamaged: (error: SegmentDamagedError) => void = () => {};
  /** Articles whose text failed its checksum: from then on this reader no longer knows them. */
  private readonly leftOut = new Set<string>();

  /** True for an article this reader left out because its stored text failed its checksum. */
  isLeftOut(articleId: string): boolean {
    return this.leftOut.has(articleId);
  }

  /** The index's manifest and segments, or null when there is none (or only an index of an older format). */
  static async open(indexDir: string, previous?: ArchiveReader): Promise<ArchiveReader | null> {
    const read = await readManifest(indexDir);
    if (read.kind !== 'ok') return null;
    return ArchiveReader.openManifest(indexDir, read.manifest, previous);
  }

  static async openManifest(
    indexDir: string,
    manifest: Manifest,
    previous?: ArchiveReader,
  ): Promise<ArchiveReader> {
    const reused = new Map(previous?.segments ?? []);
    const segments = new Map<string, SegmentReader>();
    const deleted = new Map<string, ReadonlySet<string>>();
    try {
      for (const entry of manifest.segments) {
        const dir = path.join(indexDir, entry.id);
        let reader = reused.get(entry.id);
        if (reader) reused.delete(entry.id);
        else {
          try {
            reader = await SegmentReader.open(dir);
          } catch (error) {
            throw damaged(indexDir, dir, `cannot be read: ${describeError(error)}`);
          }
        }
        segments.set(entry.id, reader);
        deleted.set(entry.id, new Set(entry.deleted));
      }
    } catch (error) {
      // Close what this attempt opened (not what it borrowed from `previous`).
      for (const [id, reader] of segments) if (!previous?.segments.has(id)) await reader.close();
      throw error;
    }
    const located = new Map<string, Located>();
    for (const [id, reader] of segments) {
      const gone = deleted.get(id) as ReadonlySet<string>;
      for (const entry of reader.catalog) if (!gone.has(entry.id)) located.set(entry.id, { reader, entry });
    }
    const articles = [...located.values()]
      .map(({ entry }) => toMeta(entry))
      .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
    const lexical = new LexicalIndex(
      [...segments].map(([id, reader]) => ({ reader, deleted: deleted.get(id) as ReadonlySet<string> })),
    );
    const backend: VectorBackend = backendFor(manifest.backend);
    let vectors: VectorReader;
    try {
      vectors = await backend.open(indexDir, manifest, { readers: segments, deleted });
    } catch (error) {
      throw damaged(
        indexDir,
        `its ${manifest.backend} vectors`,
        `cannot be opened (${describeError(error)})`,
      );
    }
    const reader = new ArchiveReader(indexDir, manifest, articles, located, segments, lexical, vectors);
    // Segments the new reader no longer uses are closed with the old reader (see closeUnused).
    return reader;
  }

  /** Closes the segments of `previous` that this reader did not take over, and its vector reader. */
  async closeUnused(previous: ArchiveReader): Promise<void> {
    for (const [id, reader] of previous.segments) if (this.segments.get(id) !== reader) await reader.close();
    await previous.vectors.close();
  }

  async close(): Promise<void> {
    for (const reader of this.segments.values()) await reader.close();
    await this.vectors.close();
  }

  get(articleId: string): ArticleMeta | undefined {
    const found = this.located.get(articleId);
    return found ? toMeta(found.entry) : undefined;
  }

  /**
   * Articles with their text and sentence vectors, in the order asked. Unknown ids are left out, and so
   * is an article whose stored text fails its checksum: damaged text is never shown.
   */
  async views(articleIds: string[]): Promise<ArticleView[]> {
    const views = await Promise.all(
      articleIds.map(async (id) => {
        const found = this.located.get(id);
        if (!found) return null;
        try {
          const [text, sentences] = await Promise.all([
            found.reader.text(found.entry),
            found.reader.sentenceVectors(found.entry),
          ]);
          return new ArticleView(toMeta(found.entry), text, sentences);
        } catch (error) {
          if (!(error instanceof SegmentDamagedError)) throw error;
          // Gone from this reader: no later search finds it, until an ingest repairs its segment.
          this.leftOut.add(id);
          this.located.delete(id);
          this.lexical.exclude(found.reader, found.entry);
          this.onDamaged(error);
          return null;
        }
      }),
    );
    return views.filter((v): v is ArticleView => v !== null);
  }

  /** The passage a lexical handle stands for, or null for a masked one. */
  passageOf(handle: number): PassageRef | null {
    const { reader, doc } = this.lexical.locate(handle);
    const ordinal = reader.lexicon.docArticle[doc];
    const entry = ordinal === undefined ? undefined : reader.catalog[ordinal];
    if (!entry || this.located.get(entry.id)?.reader !== reader) return null;
    return { articleId: entry.id, passage: doc - entry.firstDoc };
  }

  /** The lexical handle of a live passage. */
  handleOf(ref: PassageRef): number | null {
    const found = this.located.get(ref.articleId);
    if (!found || ref.passage < 0 || ref.passage >= found.entry.passageCount) return null;
    return this.lexical.handleOf(found.reader, found.entry.firstDoc + ref.passage);
  }

  /** Exact passage vectors (as embedded), in the order asked; null for an unknown passage. */
  async passageVectors(refs: PassageRef[]): Promise<Array<Float32Array | null>> {
    const bySegment = new Map<SegmentReader, Array<{ at: number; doc: number }>>();
    refs.forEach((ref, at) => {
      const found = this.located.get(ref.articleId);
      if (!found || ref.passage < 0 || ref.passage >= found.entry.passageCount) return;
      const list = bySegment.get(found.reader) ?? [];
      list.push({ at, doc: found.entry.firstDoc + ref.passage });
      bySegment.set(found.reader, list);
    });
    const out = new Array<Float32Array | null>(refs.length).fill(null);
    await Promise.all(
      [...bySegment].map(async ([reader, wanted]) => {
        const vectors = await reader.passageVectors(wanted.map((w) => w.doc));
        wanted.forEach((w, i) => {
          out[w.at] = vectors[i] ?? null;
        });
      }),
    );
    return out;
  }

  /** The backend's nearest passages, live ones only. */
  async nearest(vector: Float32Array, k: number, filter: NearestFilter): Promise<NearestHit[]> {
    const hits = await this.vectors.nearest(vector, k, filter);
    return hits.filter((hit) => this.located.has(hit.articleId));
  }
}

/** The catalog entry as metadata: no copy (readers are immutable, and the query path reads it often). */
function toMeta(entry: CatalogEntry): ArticleMeta {
  return entry;
}
