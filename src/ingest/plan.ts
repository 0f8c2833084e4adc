import path from 'node:path';
import type { Article, SkippedSource, SourceNote } from '../corpus/article.js';
import {
  finishArticle,
  listCorpusFiles,
  loadCorpusFile,
  parseCorpusBytes,
  statCorpusFile,
} from '../corpus/read-corpus.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ArticleMeta, FileStamp } from '../store/article-view.js';
import { type Manifest, readManifest } from '../store/manifest.js';
import { readCatalog } from '../store/segment.js';
import type { IndexIdentity, Leaving } from '../store/write.js';
import { sha256 } from '../util/hash.js';

/** An article of the committed index, and the segment that holds it. */
export interface CommittedArticle {
  meta: ArticleMeta;
  segmentId: string;
}

/** What an ingest will do, decided from hashes before anything is embedded. */
export interface IngestPlan {
  /** The manifest on disk (null when there is none, or it could not be read). */
  committed: Manifest | null;
  /** Why everything is rebuilt, or null when the committed index is updated in place. */
  rebuild: string | null;
  /** Articles to embed: new ones and new versions of changed ones, with their file's stamp. */
  fresh: Array<{ article: Article; file: FileStamp | null; previous: CommittedArticle | null }>;
  leaving: Leaving[];
  counts: { added: number; updated: number; unchanged: number; removed: number };
  /** Articles in the corpus after the ingest. */
  articles: number;
  skipped: SkippedSource[];
  /** Files read with a remark worth knowing (e.g. decoded from windows-1252). */
  notes: SourceNote[];
  /** Files read and parsed (the others were recognised as unchanged by their stamp or hash). */
  parsedFiles: number;
  /** A legacy index's generation folder, whose first-seen dates should be carried over. */
  legacyGeneration: string | null;
}

export interface PlanOptions {
  corpusDir: string;
  indexDir: string;
  maxFileBytes: number;
  identity: IndexIdentity;
  /** Accept an empty corpus over an index that holds articles (everything is removed). */
  allowEmpty?: boolean;
  log: Logger;
  onFile?: (done: number, total: number) => void;
}

/**
 * Reads the corpus against the committed index. A file whose size and modification time match what the
 * index recorded is not read; one that was touched but hashes the same is not parsed; only new and changed
 * files are parsed, and only new and changed articles will be embedded.
 */
export async function planIngest(options: PlanOptions): Promise<IngestPlan> {
  const { corpusDir, indexDir, log } = options;
  const { committed, live, rebuild, legacyGeneration } = await readCommitted(indexDir, options.identity, log);

  // A missing or unreadable folder is an error here, never an empty corpus (which would remove everything).
  const listing = await listCorpusFiles(corpusDir);
  const files = listing.files;
  if (files.length === 0 && live.size > 0 && !options.allowEmpty) {
    throw new UserFacingError(
      `The corpus folder ${corpusDir} is empty, but the index holds ${live.size} articles: nothing was removed. ` +
        'If the folder is a share, check that it is mounted. To empty the index on purpose, run `npm run ingest -- --allow-empty`.',
    );
  }

  const byFile = new Map<string, CommittedArticle[]>();
  for (const article of live.values()) {
    const file = article.meta.source.replace(/#.*$/, '');
    byFile.set(file, [...(byFile.get(file) ?? []), article]);
  }
  const seen = new Set<string>();
  const fresh: IngestPlan['fresh'] = [];
  const skipped: SkippedSource[] = [...listing.skipped];
  const notes: SourceNote[] = [];
  let unchanged = 0;
  let parsedFiles = 0;
  for (const [i, { file, source }] of files.entries()) {
    options.onFile?.(i, files.length);
    const known = byFile.get(source) ?? [];
    const keep = () => {
      for (const k of known) seen.add(k.meta.id);
      unchanged += known.length;
    };
    if (known.length > 0 && !rebuild) {
      const stamp = await statCorpusFile(file);
      if (
        stamp &&
        known.every((k) => k.meta.file?.size === stamp.size && k.meta.file.mtimeMs === stamp.mtimeMs)
      ) {
        keep();
        continue;
      }
    }
    const loaded = await loadCorpusFile(file, source, { maxFileBytes: options.maxFileBytes });
    if (!('bytes' in loaded)) {
      skipped.push(...loaded.skipped);
      continue;
    }
    const stamp: FileStamp = { size: loaded.size, mtimeMs: loaded.mtimeMs, hash: sha256(loaded.bytes) };
    if (known.length > 0 && !rebuild && known.every((k) => k.meta.file?.hash === stamp.hash)) {
      keep();
      continue;
    }
    parsedFiles++;
    const parsed = parseCorpusBytes(loaded.bytes, source);
    skipped.push(...parsed.skipped);
    if (parsed.note && parsed.articles.length > 0) notes.push({ source, note: parsed.note });
    for (const draft of parsed.articles) {
      const article = finishArticle(draft);
      if (seen.has(article.id)) continue; // the same record twice in one file: the first one counts
      seen.add(article.id);
      const previous = live.get(article.id) ?? null;
      if (previous && previous.meta.hash === article.hash && !rebuild) unchanged++;
      else fresh.push({ article, file: stamp, previous });
    }
  }
  options.onFile?.(files.length, files.length);

  const leaving: Leaving[] = [];
  const replaced = new Set(fresh.filter((f) => f.previous).map((f) => f.article.id));
  let removed = 0;
  for (const article of live.values()) {
    if (seen.has(article.meta.id) && !replaced.has(article.meta.id)) continue;
    if (!seen.has(article.meta.id)) removed++;
    leaving.push({
      segmentId: article.segmentId,
      articleId: article.meta.id,
      passages: article.meta.passageCount,
      sentences: article.meta.sentenceCount,
    });
  }
  const updated = fresh.filter((f) => f.previous).length;
  return {
    committed,
    rebuild,
    fresh,
    leaving,
    counts: { added: fresh.length - updated, updated, unchanged, removed },
    articles: seen.size,
    skipped,
    notes,
    parsedFiles,
    legacyGeneration,
  };
}

/** The committed index and its live articles, or why it must be rebuilt. */
async function readCommitted(
  indexDir: string,
  identity: IndexIdentity,
  log: Logger,
): Promise<{
  committed: Manifest | null;
  live: Map<string, CommittedArticle>;
  rebuild: string | null;
  legacyGeneration: string | null;
}> {
  const live = new Map<string, CommittedArticle>();
  let read: Awaited<ReturnType<typeof readManifest>>;
  try {
    read = await readManifest(indexDir);
  } catch (error) {
    log.error({ err: error }, 'the index could not be read: rebuilding it');
    return { committed: null, live, rebuild: (error as Error).message, legacyGeneration: null };
  }
  if (read.kind === 'none')
    return { committed: null, live, rebuild: 'there is no index yet', legacyGeneration: null };
  if (read.kind === 'legacy')
    return {
      committed: null,
      live,
      rebuild: 'the index was written by an older version of Clipdesk',
      legacyGeneration: read.generation,
    };
  const committed = read.manifest;
  // Another model or splitter: everything is embedded again, but articles already in the archive are
  // still told apart from new ones (they count as updated, and keep their first-seen time).
  const reason = incompatibility(committed, identity);
  try {
    for (const segment of committed.segments) {
      const deleted = new Set(segment.deleted);
      for (const meta of await readCatalog(path.join(indexDir, segment.id))) {
        if (!deleted.has(meta.id)) live.set(meta.id, { meta, segmentId: segment.id });
      }
    }
  } catch (error) {
    log.error({ err: error }, 'a segment of the index could not be read: rebuilding it');
    live.clear();
    return { committed, live, rebuild: (error as Error).message, legacyGeneration: null };
  }
  return { committed, live, rebuild: reason, legacyGeneration: null };
}

function incompatibility(manifest: Manifest, identity: IndexIdentity): string | null {
  if (manifest.backend !== identity.backend)
    return `the index was built for INDEX_BACKEND=${manifest.backend}, and ${identity.backend} is configured`;
  if (manifest.model.key !== identity.model.key)
    return `the index was built with ${manifest.model.name}, and ${identity.model.name} is configured`;
  if (JSON.stringify(manifest.passages) !== JSON.stringify(identity.passages))
    return 'passage splitting changed since the index was built';
  if (manifest.lexicon.version !== identity.lexicon.version)
    return 'text analysis changed since the index was built';
  return null;
}
