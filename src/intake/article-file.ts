import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Article } from '../corpus/article.js';
import { writeSynced } from '../util/atomic-write.js';
import { sha256 } from '../util/hash.js';

/**
 * What an article file records about its article (front matter): the article's own fields (see `Article`),
 * plus extra provenance (feed, guid, tags…) that the reader ignores.
 */
export type FrontMatter = Pick<Article, 'title' | 'outlet' | 'date' | 'url' | 'author'> & {
  extra?: Record<string, string | string[] | null>;
};

/**
 * Temporary files live in this dot-folder inside the corpus: on the same file system (so the final
 * rename is atomic) and ignored by the corpus reader and the watcher, which skip every dot-path.
 */
export const STAGING_DIR = '.clipdesk-staging';

/**
 * A Markdown article: YAML front matter serialized by `yaml` (every string double-quoted with escapes, so a
 * title with quotes, colons, `---` or line breaks stays one scalar on its own `key:` line), then the body.
 * A `---` line in the body is safe: the front matter ends at the first closing line after the opening one.
 */
export function renderArticleMarkdown(meta: FrontMatter, body: string): string {
  const data: Record<string, unknown> = {
    title: meta.title,
    outlet: meta.outlet,
    date: meta.date,
    url: meta.url,
    author: meta.author,
  };
  for (const [key, value] of Object.entries(meta.extra ?? {})) if (!(key in data)) data[key] = value;
  for (const key of Object.keys(data)) if (data[key] === null || data[key] === undefined) delete data[key];
  const yaml = stringify(data, {
    defaultStringType: 'QUOTE_DOUBLE',
    defaultKeyType: 'PLAIN',
    doubleQuotedAsJSON: true,
    lineWidth: 0,
    minContentWidth: 0,
  });
  // White space is trimmed but form feeds are kept: they mark the ends of pages (see splitPages).
  return `---\n${yaml}---\n\n${body.replace(/^[^\S\f]+|[^\S\f]+$/g, '')}\n`;
}

/** A file-name-safe slug: ASCII letters and digits joined by single dashes, at most `max` characters. */
export function slugify(text: string, max = 60): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const dash = cut.lastIndexOf('-');
  return (dash > max / 2 ? cut.slice(0, dash) : cut).replace(/-+$/, '');
}

/**
 * Writes `content` as `<corpusDir>/<folder>/<name><ext>` so that nobody (the watcher, an ingest) ever sees
 * it half-written: write and fsync a temporary file in the staging dot-folder, then rename it into place.
 * An existing file is never overwritten: a short hash of `key` (then a counter) tells two apart.
 * Returns the corpus-relative path.
 */
export async function writeCorpusFile(
  corpusDir: string,
  folder: string,
  name: string,
  ext: string,
  content: string | Uint8Array,
  key: string,
): Promise<string> {
  const dir = path.join(corpusDir, folder);
  const staging = path.join(corpusDir, STAGING_DIR);
  await mkdir(dir, { recursive: true });
  await mkdir(staging, { recursive: true });
  const tmp = path.join(staging, `${randomBytes(6).toString('hex')}.tmp`);
  await writeSynced(tmp, content, { exclusive: true });
  try {
    const candidates = [name, `${name}-${sha256(key, 8)}`];
    for (let n = 2; n < 100; n++) candidates.push(`${name}-${sha256(key, 8)}-${n}`);
    for (const candidate of candidates) {
      const target = path.join(dir, `${candidate}${ext}`);
      if (await exists(target)) continue;
      await rename(tmp, target);
      return path.relative(corpusDir, target).split(path.sep).join('/');
    }
    throw new Error(`no free file name for ${name}${ext} in ${dir}`);
  } finally {
    await rm(tmp, { force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
