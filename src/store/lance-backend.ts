import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Connection, Table } from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from 'apache-arrow';
import type { NearestFilter, NearestHit, PassageRow, VectorBackend, VectorReader } from './backend.js';
import { sqlString } from './backend.js';
import type { Manifest } from './manifest.js';

/**
 * Passage vectors in LanceDB (an embedded, columnar engine built for millions of vectors on disk):
 * one table `passages-<n>` with the vector and the filter fields. Appends and deletes are incremental
 * (a new Lance version each, its data files never rewritten by an append); an ANN index (IVF-PQ, cosine)
 * is trained once the table is large enough and kept up to date by `optimize()` in the background,
 * and rows added since are still found (Lance searches unindexed rows exactly).
 *
 * Crash safety: the manifest records the table version it committed. Readers check out exactly that
 * version, so an ingest killed after writing to Lance but before its manifest commit is invisible; the
 * next ingest restores the committed version before writing (`recover`).
 */

const LANCE_FOLDER = 'lance';
/** Below this many passages an exact scan is fast enough and no ANN index is trained. */
export const ANN_MIN_ROWS = 50_000;
/** Versions older than this are cleaned up; a reader never holds one that long without refreshing. */
const KEEP_VERSIONS_MS = 60 * 60 * 1000;
/** Compact after this many appends (each append is a small Lance fragment). */
const COMPACT_EVERY = 16;
/** An `IN (...)` list longer than this is filtered after the search instead. */
const MAX_IN_LIST = 1000;

type Lance = typeof import('@lancedb/lancedb');
let lance: Promise<Lance> | null = null;
/** Loaded only when this backend is used: the native library is large. */
function loadLance(): Promise<Lance> {
  // Lance's own (Rust) log would print warnings such as "creating a new dataset" on stderr: errors only.
  process.env.LANCE_LOG ??= 'error';
  lance ??= import('@lancedb/lancedb');
  return lance;
}

async function connect(indexDir: string): Promise<Connection> {
  const { connect } = await loadLance();
  return connect(path.join(indexDir, LANCE_FOLDER));
}

function schemaFor(dimension: number): Schema {
  return new Schema([
    new Field('article', new Utf8(), false),
    new Field('passage', new Int32(), false),
    new Field('outlet', new Utf8(), false),
    new Field('day', new Int32(), false),
    new Field('vector', new FixedSizeList(dimension, new Field('item', new Float32(), true)), false),
  ]);
}

function toRecords(rows: PassageRow[]) {
  return rows.map((r) => ({
    article: r.articleId,
    passage: r.passage,
    outlet: r.outlet,
    day: r.day,
    vector: Array.from(r.vector),
  }));
}

const ARTICLE_ID = /^[0-9a-f]+$/;

function inList(ids: Iterable<string>): string {
  return [...ids]
    .filter((id) => ARTICLE_ID.test(id))
    .map((id) => `'${id}'`)
    .join(', ');
}

export function lanceWhere(filter: NearestFilter): string | null {
  const clauses: string[] = [];
  if (filter.articleIds && filter.articleIds.size <= MAX_IN_LIST)
    clauses.push(`article IN (${inList(filter.articleIds) || "''"})`);
  if (filter.outlet) clauses.push(`outlet = ${sqlString(filter.outlet)}`);
  if (filter.sinceDay) clauses.push(`day >= ${Math.trunc(filter.sinceDay)}`);
  if (filter.untilDay) clauses.push(`day <= ${Math.trunc(filter.untilDay)}`);
  if (filter.untilDay && !filter.sinceDay) clauses.push('day > 0');
  return clauses.length ? clauses.join(' AND ') : null;
}

async function openAt(db: Connection, state: NonNullable<Manifest['lance']>): Promise<Table> {
  const table = await db.openTable(state.table);
  await table.checkout(state.version);
  return table;
}

async function hasVectorIndex(table: Table): Promise<boolean> {
  return (await table.listIndices()).some((index) => index.columns.includes('vector'));
}

export const lanceBackend: VectorBackend = {
  name: 'lancedb',

  async recover(indexDir, committed) {
    if (!committed?.lance) return;
    const db = await connect(indexDir);
    if (!(await db.tableNames()).includes(committed.lance.table)) return;
    const table = await db.openTable(committed.lance.table);
    if ((await table.version()) !== committed.lance.version) {
      // An ingest died after writing to Lance and before committing: back to what the manifest saw.
      await table.checkout(committed.lance.version);
      await table.restore();
    }
    table.close();
  },

  async write(indexDir, change, current) {
    const db = await connect(indexDir);
    const rows = change.segments.flatMap((s) => s.rows);
    let table: Table;
    if (!current) {
      const name = `passages-${change.sequence}`;
      if ((await db.tableNames()).includes(name)) await db.dropTable(name); // left by a crashed rebuild
      table = await db.createEmptyTable(name, schemaFor(change.dimension));
    } else {
      table = await db.openTable(current.table);
      const removed = [...new Set(change.removedArticles)];
      for (let i = 0; i < removed.length; i += MAX_IN_LIST) {
        await table.delete(`article IN (${inList(removed.slice(i, i + MAX_IN_LIST))})`);
      }
    }
    for (let i = 0; i < rows.length; i += 50_000) await table.add(toRecords(rows.slice(i, i + 50_000)));
    const state = { table: table.name, version: await table.version() };
    table.close();
    return state;
  },

  async merged() {
    // Rows are keyed by article id, not by segment: a merge of segments changes nothing here.
  },

  async open(indexDir, manifest): Promise<VectorReader> {
    if (!manifest.lance) throw new Error('the manifest names no LanceDB table');
    const db = await connect(indexDir);
    const table = await openAt(db, manifest.lance);
    const indexed = await hasVectorIndex(table);
    return {
      async nearest(vector, k, filter): Promise<NearestHit[]> {
        const where = lanceWhere(filter);
        const postFilter =
          filter.articleIds && filter.articleIds.size > MAX_IN_LIST ? filter.articleIds : null;
        let query = table
          .vectorSearch(Array.from(vector))
          .distanceType('cosine')
          .select(['article', 'passage', '_distance'])
          .limit(postFilter ? k * 4 : k);
        if (where) query = query.where(where);
        // Recall: look in 20 partitions and re-rank a PQ shortlist five times the size with exact distances.
        // Measured at 1.1M passages (128 dimensions, 16 sub-vectors): of the 64 nearest, refine 2 found 65%,
        // refine 5 87%, refine 10 88%, at about the same 11-17 ms (scratch measurement in the closing note).
        if (indexed) query = query.nprobes(20).refineFactor(5);
        const rows = (await query.toArray()) as Array<{ article: string; passage: number }>;
        return rows
          .filter((r) => !postFilter || postFilter.has(r.article))
          .slice(0, k)
          .map((r) => ({ articleId: r.article, passage: Number(r.passage) }));
      },
      async close() {
        table.close();
      },
    };
  },

  async maintain(indexDir, manifest) {
    if (!manifest.lance) return null;
    const { Index } = await loadLance();
    const db = await connect(indexDir);
    const table = await db.openTable(manifest.lance.table);
    try {
      if ((await table.version()) !== manifest.lance.version) return null; // someone else moved on
      const rows = await table.countRows();
      const indexed = await hasVectorIndex(table);
      const fragments = (await table.stats()).fragmentStats.numFragments;
      if (!indexed && rows >= ANN_MIN_ROWS) {
        await table.createIndex('vector', {
          config: Index.ivfPq({
            distanceType: 'cosine',
            numPartitions: Math.max(16, Math.round(Math.sqrt(rows))),
            numSubVectors: subVectors(manifest.model.dimension),
          }),
        });
      } else if (fragments > COMPACT_EVERY) {
        await table.optimize({ cleanupOlderThan: new Date(Date.now() - KEEP_VERSIONS_MS) });
      } else {
        return null;
      }
      return { table: table.name, version: await table.version() };
    } finally {
      table.close();
    }
  },

  async cleanup(indexDir, manifest) {
    // Tables of earlier builds (another model, a rebuild) once the manifest has moved on from them.
    const keep = manifest.lance?.table;
    const folder = path.join(indexDir, LANCE_FOLDER);
    const entries = await readdir(folder).catch(() => [] as string[]);
    for (const entry of entries) {
      if (!entry.endsWith('.lance') || entry === `${keep}.lance`) continue;
      await rm(path.join(folder, entry), { recursive: true, force: true });
    }
  },
};

/** PQ sub-vectors: dimension/8 when it divides evenly (8 dims each), else the largest divisor up to it. */
function subVectors(dimension: number): number {
  for (let n = Math.max(1, Math.floor(dimension / 8)); n > 1; n--) if (dimension % n === 0) return n;
  return 1;
}
