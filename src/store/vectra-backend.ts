import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { LocalIndex, type MetadataFilter } from 'vectra';
import { writeSynced } from '../util/atomic-write.js';
import type {
  LiveSegments,
  NearestFilter,
  NearestHit,
  PassageRow,
  VectorBackend,
  VectorReader,
} from './backend.js';
import type { SegmentReader } from './segment.js';

/**
 * Passage vectors in vectra: one vectra index per segment (`<segment>/vectra/index.json`), queried with
 * vectra's own exact cosine search and metadata filters, results merged across segments.
 *
 * vectra 0.12's `insertItem` and `batchInsertItems` scan every item already in the update for a duplicate id,
 * so building an index of n items that way is quadratic (109k passages took 3 min). Segments are written
 * once and never updated, and their ids are unique by construction, so the segment writer writes vectra's
 * `index.json` itself, in vectra's own format (`{ version, metadata_config, items: [{ id, metadata, vector,
 * norm }] }`, with `norm` the vector's Euclidean length as vectra computes it); a test checks that this file
 * equals what vectra writes for the same items and that vectra reads it back. Replaced and removed articles
 * are masked (the manifest's per-segment `deleted` lists) until a merge rewrites their segment.
 */

/** What vectra keeps beside each passage vector. */
export interface VectraPassageMetadata {
  article: string;
  passage: number;
  outlet: string;
  day: number;
  [key: string]: string | number;
}

const VECTRA_FOLDER = 'vectra';

/** Loaded vectra indexes by segment: a segment never changes, so a reopened index reuses them. */
const loaded = new WeakMap<SegmentReader, Promise<LocalIndex<VectraPassageMetadata>>>();

function indexOf(reader: SegmentReader): Promise<LocalIndex<VectraPassageMetadata>> {
  let index = loaded.get(reader);
  if (!index) {
    const local = new LocalIndex<VectraPassageMetadata>(path.join(reader.dir, VECTRA_FOLDER));
    index = local.getIndexStats().then(() => local); // loads index.json once
    loaded.set(reader, index);
  }
  return index;
}

/** vectra's index.json for a set of passages, exactly as `LocalIndex.insertItem` would write it. */
export function vectraIndexJson(rows: PassageRow[]): string {
  const items = rows.map((row) => {
    // Six decimals keep cosines exact to about 1e-6 and the file a third smaller.
    const vector = Array.from(row.vector, (x) => Math.round(x * 1e6) / 1e6);
    let sum = 0;
    for (const x of vector) sum += x * x;
    const metadata: VectraPassageMetadata = {
      article: row.articleId,
      passage: row.passage,
      outlet: row.outlet,
      day: row.day,
    };
    return { id: `${row.articleId}:${row.passage}`, metadata, vector, norm: Math.sqrt(sum) };
  });
  return JSON.stringify({ version: 1, metadata_config: {}, items });
}

export function vectraFilter(filter: NearestFilter): MetadataFilter | undefined {
  const clauses: MetadataFilter[] = [];
  if (filter.articleIds) clauses.push({ article: { $in: [...filter.articleIds] } });
  if (filter.outlet) clauses.push({ outlet: { $eq: filter.outlet } });
  if (filter.sinceDay) clauses.push({ day: { $gte: filter.sinceDay } });
  if (filter.untilDay) clauses.push({ day: { $lte: filter.untilDay } });
  if (filter.untilDay && !filter.sinceDay) clauses.push({ day: { $gt: 0 } });
  return clauses.length ? { $and: clauses } : undefined;
}

async function writeVectraSegment(dir: string, rows: PassageRow[]): Promise<void> {
  const folder = path.join(dir, VECTRA_FOLDER);
  await mkdir(folder, { recursive: true });
  await writeSynced(path.join(folder, 'index.json'), vectraIndexJson(rows), { exclusive: true });
}

export const vectraBackend: VectorBackend = {
  name: 'vectra',

  async recover() {
    // Nothing to undo: an uncommitted segment is a folder no manifest names, removed by cleanup.
  },

  async write(_indexDir, change) {
    for (const segment of change.segments) await writeVectraSegment(segment.dir, segment.rows);
    return null;
  },

  async merged(segment) {
    await writeVectraSegment(segment.dir, segment.rows);
  },

  async open(_indexDir, _manifest, live: LiveSegments): Promise<VectorReader> {
    const indexes: Array<{
      index: LocalIndex<VectraPassageMetadata>;
      deleted: ReadonlySet<string>;
      masked: number;
    }> = [];
    for (const [id, reader] of live.readers) {
      const index = await indexOf(reader);
      const deleted = live.deleted.get(id) ?? new Set<string>();
      const masked = reader.catalog.filter((a) => deleted.has(a.id)).reduce((n, a) => n + a.passageCount, 0);
      indexes.push({ index, deleted, masked });
    }
    return {
      async nearest(vector, k, filter) {
        const metadataFilter = vectraFilter(filter);
        const query = Array.from(vector);
        const found: Array<NearestHit & { score: number }> = [];
        for (const { index, deleted, masked } of indexes) {
          // Ask for enough to still have k after dropping masked (removed or replaced) passages.
          const results = await index.queryItems(query, '', k + masked, metadataFilter);
          for (const { item, score } of results) {
            if (deleted.has(item.metadata.article)) continue;
            found.push({ articleId: item.metadata.article, passage: item.metadata.passage, score });
          }
        }
        found.sort((a, b) => b.score - a.score);
        return found.slice(0, k).map(({ articleId, passage }) => ({ articleId, passage }));
      },
      async close() {},
    };
  },

  async maintain() {
    return null;
  },

  async cleanup() {
    // Segment folders (and the vectra index inside each) are removed with their segment.
  },
};
