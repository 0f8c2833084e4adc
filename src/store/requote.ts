import { QUOTES_VERSION, quotesOf } from '../quotes/stored.js';
import type { BeforeWrite } from '../util/atomic-write.js';
import { MANIFEST_FORMAT, type Manifest, writeManifest } from './manifest.js';
import { mergeSegments } from './merge.js';
import type { NewArticle } from './segment.js';

/** Whether the index's quotations were extracted by another version of the extractor (or not at all). */
export function quotesStale(manifest: Manifest): boolean {
  return manifest.quotes?.version !== QUOTES_VERSION;
}

/**
 * Extracts the quotations of every article of an index written by an older version again: each segment
 * is rewritten as a merge of itself with the new quotations (texts and vectors copied, nothing embedded
 * again), one commit per segment, so a crash leaves a usable index and the next ingest carries on. The
 * last commit records the extractor's version. Use under the index lock.
 */
export async function requoteIndex(
  indexDir: string,
  manifest: Manifest,
  options: { beforeWrite?: BeforeWrite } = {},
): Promise<Manifest> {
  let current = manifest;
  const transform = (article: NewArticle): NewArticle => {
    const { quotes, speakers } = quotesOf(article.text.body);
    return { ...article, meta: { ...article.meta, speakers }, text: { ...article.text, quotes } };
  };
  for (const id of manifest.segments.map((s) => s.id)) {
    const entry = current.segments.find((s) => s.id === id);
    if (!entry) continue;
    current = await mergeSegments(indexDir, current, [entry], { ...options, transform });
  }
  const next: Manifest = { ...current, format: MANIFEST_FORMAT, quotes: { version: QUOTES_VERSION } };
  await writeManifest(indexDir, next);
  return next;
}
