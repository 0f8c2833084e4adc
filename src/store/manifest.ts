import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { errorCode, UserFacingError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * INDEX_DIR/manifest.json: the one file that says what the index is. Every change to the index (an
 * ingest, a merge) writes new segment files beside the old ones and then replaces this file atomically,
 * so a crash at any moment leaves the old manifest (and the old, complete index) or the new one.
 */

/** 3: quotations stored with the articles (format 2 indexes are read, and their quotations extracted at the next ingest). */
export const MANIFEST_FORMAT = 3;
export const MANIFEST_FILE = 'manifest.json';

export const BACKENDS = ['vectra', 'lancedb'] as const;
export type BackendName = (typeof BACKENDS)[number];

const skippedSchema = z.object({ source: z.string(), reason: z.string() });

export const ingestSummarySchema = z
  .object({
    added: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    removed: z.number(),
    skipped: z.array(skippedSchema),
    /** Files read with a remark (e.g. decoded from windows-1252). */
    notes: z.array(z.object({ source: z.string(), note: z.string() })).optional(),
    /** Files of the new and changed articles that have no date (date filters and digests' age check skip them). */
    undated: z.array(z.string()).optional(),
    articles: z.number(),
    passages: z.number(),
    embeddedPassages: z.number(),
    embeddedTokens: z.number(),
    /** Corpus files read and parsed (the others were recognised as unchanged without parsing). */
    parsedFiles: z.number().optional(),
    /** Index segments found damaged, dropped, their articles read again from the corpus. */
    repaired: z.array(z.object({ segment: z.string(), problem: z.string() })).optional(),
    seconds: z.number(),
    finishedAt: z.string(),
  })
  .passthrough();
export type IngestSummary = z.infer<typeof ingestSummarySchema>;

const segmentEntry = z.object({
  id: z.string().regex(/^seg-[a-z0-9-]+$/),
  articles: z.number().int().nonnegative(),
  passages: z.number().int().nonnegative(),
  sentences: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Articles of this segment that were removed or replaced since it was written. */
  deleted: z.array(z.string()),
  /** Their passages: a segment mostly masked is worth rewriting. */
  deletedPassages: z.number().int().nonnegative(),
});
export type SegmentEntry = z.infer<typeof segmentEntry>;

const manifestSchema = z.object({
  format: z.union([z.literal(2), z.literal(MANIFEST_FORMAT)]),
  backend: z.enum(BACKENDS),
  /** Counts commits; segment and table names derive from it. */
  sequence: z.number().int().nonnegative(),
  model: z.object({
    name: z.string(),
    dtype: z.enum(['q8', 'fp32']),
    dimension: z.number().int().positive(),
    key: z.string(),
  }),
  passages: z.object({ version: z.number(), targetTokens: z.number(), maxTokens: z.number() }),
  /** Version of the text analysis (stemming, stop words) the lexicons were built with. */
  lexicon: z.object({ version: z.number() }),
  counts: z.object({ articles: z.number(), passages: z.number(), sentences: z.number() }),
  segments: z.array(segmentEntry),
  /** Segments the previous manifest used and this one does not: kept one more commit for open readers. */
  retired: z.array(z.string()),
  /** The LanceDB table and version this manifest saw committed (lancedb backend only). */
  lance: z.object({ table: z.string(), version: z.number().int() }).nullable(),
  lastIngest: ingestSummarySchema,
  /** The quotation extraction the articles' quotes were made with (absent: none, a format 2 index). */
  quotes: z.object({ version: z.number().int() }).optional(),
  /** The corpus folder the index was last brought in line with (absolute). */
  corpusDir: z.string().optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** The index on disk exists but cannot be read; the message names the file and the repair. */
export class IndexDamagedError extends UserFacingError {}

const REPAIR = 'Run `npm run ingest` (or /reindex) to rebuild it from the corpus; first-seen dates are kept.';

export function damaged(indexDir: string, file: string, reason: string): IndexDamagedError {
  return new IndexDamagedError(`The index in ${indexDir} is damaged: ${file} ${reason}. ${REPAIR}`);
}

export type ManifestRead =
  | { kind: 'none' }
  /** An index written by an older Clipdesk (whole generations in gen-* folders): rebuilt by the next ingest. */
  | { kind: 'legacy'; generation: string | null }
  | { kind: 'ok'; manifest: Manifest };

export async function readManifest(indexDir: string): Promise<ManifestRead> {
  const file = path.join(indexDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'none' };
    throw damaged(indexDir, file, `cannot be read (${errorCode(error) ?? error})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw damaged(indexDir, file, 'is not valid JSON');
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format === 1) {
    const generation = (value as { generation?: unknown }).generation;
    return { kind: 'legacy', generation: typeof generation === 'string' ? generation : null };
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw damaged(
      indexDir,
      file,
      `is not a manifest this version understands (${issue?.path.join('.')}: ${issue?.message})`,
    );
  }
  return { kind: 'ok', manifest: parsed.data };
}

export async function writeManifest(indexDir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(path.join(indexDir, MANIFEST_FILE), JSON.stringify(manifest, null, 1));
}
