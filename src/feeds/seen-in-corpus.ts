import { open } from 'node:fs/promises';
import path from 'node:path';
import { splitFrontMatter } from '../corpus/front-matter.js';
import { walkCorpus } from '../corpus/walk-corpus.js';
import { canonicalUrl } from '../intake/canonical-url.js';

/** Where feed articles are written in the corpus (one folder per outlet below it). */
export const FEEDS_FOLDER = 'feeds';

/** Feed articles are small; their front matter is at the top. */
const HEAD_BYTES = 16 * 1024;

/**
 * The dedupe keys of the feed articles already in the corpus (`<corpus>/feeds/**.md`, written by the
 * poller with `feed`, `guid`, `url` and the item's `link` in their front matter), with the file of each.
 * The corpus is the record that outlives a lost or damaged feeds-state.json: keys rebuilt from it keep
 * every item already written from being written a second time.
 */
export async function feedKeysInCorpus(
  corpusDir: string,
  folder = FEEDS_FOLDER,
): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  let files: Array<{ file: string; source: string }>;
  try {
    files = (await walkCorpus(path.join(corpusDir, folder))).files;
  } catch {
    return keys; // no feeds folder yet
  }
  for (const { file, source } of files) {
    if (path.extname(file).toLowerCase() !== '.md') continue;
    const data = await frontMatterOf(file);
    if (typeof data?.feed !== 'string') continue;
    const where = `${folder}/${source}`;
    if (typeof data.guid === 'string' && data.guid.trim()) keys.set(`guid:${data.guid.trim()}`, where);
    for (const link of [data.url, data.link]) {
      const canonical = typeof link === 'string' ? canonicalUrl(link) : null;
      if (canonical) keys.set(`url:${canonical}`, where);
    }
  }
  return keys;
}

async function frontMatterOf(file: string): Promise<Record<string, unknown> | null> {
  try {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
      const parsed = splitFrontMatter(buffer.subarray(0, bytesRead).toString('utf8'));
      return parsed.ok ? parsed.data : null;
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}
