import path from 'node:path';
import type { BeforeWrite } from '../util/atomic-write.js';
import { backendFor } from './backends.js';
import type { Manifest, SegmentEntry } from './manifest.js';
import { type NewArticle, readWholeSegment, SegmentReader, writeSegment } from './segment.js';
import { commitMaintenance, maxSegmentPassages, passageRows } from './write.js';

/**
 * Keeps the number of segments small as ingests add one each: size tiers (each 16 times the one below);
 * when a tier holds MERGE_AT segments they are merged into one of the next tier, and a segment whose
 * passages are mostly masked (removed or replaced articles) is rewritten. Each passage is rewritten about
 * once per tier it climbs (a handful of times in its life), never on every ingest.
 */
export const MERGE_AT = 8;
const TIER_BASE = 1024;
const TIER_FACTOR = 16;
const MOSTLY_MASKED = 0.3;

function live(s: SegmentEntry): number {
  return s.passages - s.deletedPassages;
}

function tier(passages: number): number {
  let t = 0;
  for (let limit = TIER_BASE; passages >= limit; limit *= TIER_FACTOR) t++;
  return t;
}

/** The segments to merge now (in manifest order), or null when the index is in shape. */
export function pickMerge(manifest: Manifest): SegmentEntry[] | null {
  const max = maxSegmentPassages(manifest.backend, manifest.model.dimension);
  const byTier = new Map<number, SegmentEntry[]>();
  for (const s of manifest.segments) {
    if (live(s) >= max) continue; // full: only rewritten when mostly masked (below)
    const t = tier(live(s));
    byTier.set(t, [...(byTier.get(t) ?? []), s]);
  }
  for (const t of [...byTier.keys()].sort((a, b) => a - b)) {
    const group = byTier.get(t) as SegmentEntry[];
    if (group.length < MERGE_AT) continue;
    // Smallest first, so that one large member of the tier cannot keep the others from merging.
    const picked: SegmentEntry[] = [];
    let size = 0;
    for (const s of [...group].sort((a, b) => live(a) - live(b))) {
      if (size + live(s) > max) continue;
      picked.push(s);
      size += live(s);
    }
    if (picked.length >= 2) return picked;
  }
  const masked = manifest.segments.find(
    (s) => s.passages > 0 && s.deletedPassages / s.passages >= MOSTLY_MASKED,
  );
  return masked ? [masked] : null;
}

/**
 * Writes the live articles of `picked` into one new segment and commits a manifest that uses it in their
 * place (their folders stay until the next commit, for readers that have them open). Like an ingest,
 * killed at any moment it leaves the old index or the new one.
 */
export async function mergeSegments(
  indexDir: string,
  manifest: Manifest,
  picked: SegmentEntry[],
  /** `transform`: a change made to every article on the way (requote.ts extracts quotations again). */
  options: { beforeWrite?: BeforeWrite; transform?: (article: NewArticle) => NewArticle } = {},
): Promise<Manifest> {
  const articles: NewArticle[] = [];
  for (const entry of picked) {
    const reader = await SegmentReader.open(path.join(indexDir, entry.id));
    try {
      const whole = await readWholeSegment(reader);
      const deleted = new Set(entry.deleted);
      for (const article of reader.catalog) {
        if (deleted.has(article.id)) continue;
        const {
          record: _r,
          firstDoc: _d,
          firstSentence: _s,
          passageCount: _p,
          sentenceCount: _c,
          ...meta
        } = article;
        const copy: NewArticle = {
          meta,
          text: whole.text(article),
          passageVectors: whole.passageVectors(article),
          sentenceVectors: whole.sentenceVectors(article),
        };
        articles.push(options.transform ? options.transform(copy) : copy);
      }
    } finally {
      await reader.close();
    }
  }
  const gone = new Set(picked.map((s) => s.id));
  const at = manifest.segments.findIndex((s) => gone.has(s.id));
  const segments = manifest.segments.filter((s) => !gone.has(s.id));
  if (articles.length > 0) {
    // Nothing live left (every article removed or replaced): the segments just go.
    const id = `seg-${(manifest.sequence + 1).toString(36).padStart(5, '0')}-m`;
    const dir = path.join(indexDir, id);
    const info = await writeSegment(dir, id, articles, manifest.model.dimension, options.beforeWrite);
    await backendFor(manifest.backend).merged({ id, dir, rows: passageRows(articles) });
    segments.splice(at, 0, { ...info, deleted: [], deletedPassages: 0 });
  }
  return commitMaintenance(indexDir, manifest, { segments });
}
