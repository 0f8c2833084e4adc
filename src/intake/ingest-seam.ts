import type { IngestResult } from '../ingest/ingest.js';

/**
 * The one seam through which feeds, the watched folder and uploads bring the index in line with the
 * corpus folder after they change it. Today it is the incremental `ingest()` (plus a search refresh);
 * the storage rewrite can swap in anything with this shape. Callers never reach into the index.
 * `changed` names the files the caller wrote or saw change (absolute, or relative to the corpus folder):
 * only they are read, so one new article costs one article; without it the whole corpus is read.
 */
export type IngestCorpus = (
  changed?: readonly string[],
  options?: {
    /** Read every index segment against its checksums (/reindex), repairing what fails. */
    verifyIndex?: boolean;
  },
) => Promise<IngestResult>;
