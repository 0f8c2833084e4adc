import type { IngestResult } from '../ingest/ingest.js';

/**
 * The one seam through which feeds, the watched folder and uploads bring the index in line with the
 * corpus folder after they change it. Today it is the incremental `ingest()` (plus a search refresh);
 * the storage rewrite can swap in anything with this shape. Callers never reach into the index.
 */
export type IngestCorpus = () => Promise<IngestResult>;
