import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeText } from '../corpus/decode-text.js';
import { toLine } from '../corpus/fields.js';
import { MIN_ARTICLE_CHARS } from '../corpus/html-extract.js';
import { joinPages } from '../corpus/pages.js';
import { isPdf } from '../corpus/pdf-format.js';
import { readCorpus } from '../corpus/read-corpus.js';
import { UserFacingError } from '../errors.js';
import { extractPageOffThread, readFileOffThread } from '../parsing/off-thread.js';
import { ParseLimitError } from '../parsing/parse-pool.js';
import { renderArticleMarkdown, STAGING_DIR, slugify, writeCorpusFile } from './article-file.js';
import { canonicalUrl } from './canonical-url.js';
import { decodeBody } from './decode-body.js';
import { FetchError, type FetchPolicy, formatMb, safeFetch } from './safe-fetch.js';

/** Extensions `/add` accepts as a file. */
export const UPLOAD_EXTENSIONS = [
  '.txt',
  '.md',
  '.html',
  '.htm',
  '.json',
  '.jsonl',
  '.pdf',
  '.docx',
  '.xml',
  '.nitf',
];
/** Of those, the formats that are not text (read from their bytes). */
const BINARY_EXTENSIONS = new Set(['.pdf', '.docx']);
/** Where uploads and links are filed in the corpus. */
export const UPLOADS_FOLDER = 'uploads';

export interface AddedSource {
  /** Corpus-relative path of the file written. */
  source: string;
  /** Titles the corpus reader found in it (one, or several for .json/.jsonl). */
  titles: string[];
}

export interface UploadInput {
  name: string;
  url: string;
  /** As announced by Discord; checked before downloading, then again while downloading. */
  size: number;
}

/**
 * A file attached to `/add`: type and announced size checked, downloaded under the size limit (counted
 * while it streams), checked to be text (a PDF or Word file is checked by its reader instead), and read
 * by the corpus reader in a staging folder first, so that a file the archive would skip is refused with
 * the reader's reason instead of being saved.
 */
export async function addUpload(
  corpusDir: string,
  input: UploadInput,
  policy: FetchPolicy,
  now: Date,
): Promise<AddedSource> {
  const ext = path.extname(input.name).toLowerCase();
  if (!UPLOAD_EXTENSIONS.includes(ext))
    throw new UserFacingError(
      `“${input.name}” is not a file type the archive reads. Attach ${UPLOAD_EXTENSIONS.join(', ')}.`,
    );
  if (input.size > policy.maxBytes)
    throw new UserFacingError(
      `“${input.name}” is ${formatMb(input.size)}; files up to ${formatMb(policy.maxBytes)} can be added (ADD_MAX_FILE_MB).`,
    );
  const bytes = await download(input.url, policy, input.name);
  if (bytes.length === 0) throw new UserFacingError(`“${input.name}” is empty.`);
  if (!BINARY_EXTENSIONS.has(ext) && decodeText(bytes) === null)
    throw new UserFacingError(`“${input.name}” is not text (a binary file), so it cannot be added.`);
  const base = slugify(path.basename(input.name, ext)) || 'upload';
  const titles = await checkReadable(corpusDir, `${base}${ext}`, bytes);
  const source = await writeCorpusFile(
    corpusDir,
    UPLOADS_FOLDER,
    `${now.toISOString().slice(0, 10)}-${base}`,
    ext,
    bytes,
    input.url,
  );
  return { source, titles };
}

export interface LinkInput {
  url: string;
  /** The outlet to file it under when the page names none. */
  outlet?: string | null;
  /** Finds an article already in the archive with this canonical url (for a clear "already there"). */
  findExisting?: (canonical: string) => string | null;
}

/**
 * A link given to `/add`: the page fetched under the feed limits, its article extracted (Readability) with
 * its metadata, and written as a Markdown article in the uploads folder.
 */
export async function addLink(
  corpusDir: string,
  input: LinkInput,
  policy: FetchPolicy,
  now: Date,
): Promise<AddedSource & { canonical: string | null }> {
  const requested = canonicalUrl(input.url);
  if (!requested) throw new UserFacingError(`“${input.url}” is not an http(s) link.`);
  const before = input.findExisting?.(requested);
  if (before) throw new UserFacingError(`That article is already in the archive: ${before}.`);
  let response: Awaited<ReturnType<typeof safeFetch>>;
  try {
    response = await safeFetch(input.url, policy, {
      accept: 'text/html,application/xhtml+xml;q=0.9,application/pdf;q=0.8',
    });
  } catch (error) {
    throw asUserError(error, input.url);
  }
  const type = String(response.headers['content-type'] ?? '');
  if (/application\/pdf/i.test(type) || isPdf(response.body))
    return addPdfLink(corpusDir, input, response, requested, now);
  if (type && !/html/i.test(type))
    throw new UserFacingError(
      `${input.url} is ${type.split(';')[0]}, not a web page; attach the file instead.`,
    );
  if (response.body.subarray(0, 8192).includes(0))
    throw new UserFacingError(`${input.url} is not a text page.`);
  const html = decodeBody(response.body, type);
  const page = await extractPageOffThread(html, response.url).catch((error: unknown) => {
    if (error instanceof ParseLimitError)
      throw new UserFacingError(`The page at ${response.url} is too costly to read (it ${error.message}).`);
    throw error;
  });
  if (page.text.length < MIN_ARTICLE_CHARS)
    throw new UserFacingError(
      `No article text found at ${response.url} (${page.text.length} characters of readable text). Save the article as a file and attach it instead.`,
    );
  const title = toLine(page.title);
  if (!title) throw new UserFacingError(`The page at ${response.url} has no title.`);
  const canonical = page.url ? canonicalUrl(page.url) : requested;
  const again = canonical && canonical !== requested ? input.findExisting?.(canonical) : null;
  if (again) throw new UserFacingError(`That article is already in the archive: ${again}.`);
  const outlet = page.outlet ?? input.outlet ?? new URL(response.url).hostname.replace(/^www\./, '');
  const meta = { title, outlet, date: page.date, url: page.url ?? response.url, author: page.author };
  const folder = `${UPLOADS_FOLDER}/${slugify(outlet, 40) || 'web'}`;
  const name = `${page.date ?? now.toISOString().slice(0, 10)}-${slugify(title) || 'article'}`;
  const source = await writeCorpusFile(
    corpusDir,
    folder,
    name,
    '.md',
    renderArticleMarkdown(meta, page.text),
    input.url,
  );
  return { source, titles: [title], canonical };
}

/**
 * A link to a PDF: read as a PDF and written as a Markdown article with a form feed ending each page, so
 * that it keeps its pages; title, date and author from the PDF, the outlet given or the link's host.
 */
async function addPdfLink(
  corpusDir: string,
  input: LinkInput,
  response: { url: string; body: Buffer },
  requested: string,
  now: Date,
): Promise<AddedSource & { canonical: string | null }> {
  // Read on the parse pool's workers, bounded in time and memory like a corpus file.
  const parsed = await readFileOffThread(response.body, 'linked.pdf');
  const pdf = parsed.articles[0];
  if (!pdf)
    throw new UserFacingError(
      `The PDF at ${response.url} cannot be added: ${parsed.skipped[0]?.reason ?? 'it holds no text'}.`,
    );
  if (!pdf.title) throw new UserFacingError(`The PDF at ${response.url} has no title.`);
  const outlet = pdf.outlet ?? input.outlet ?? new URL(response.url).hostname.replace(/^www\./, '');
  const meta = { title: pdf.title, outlet, date: pdf.date, url: response.url, author: pdf.author };
  const source = await writeCorpusFile(
    corpusDir,
    `${UPLOADS_FOLDER}/${slugify(outlet, 40) || 'web'}`,
    `${pdf.date ?? now.toISOString().slice(0, 10)}-${slugify(pdf.title) || 'document'}`,
    '.md',
    renderArticleMarkdown(meta, joinPages(pdf.body, pdf.pages)),
    input.url,
  );
  return { source, titles: [pdf.title], canonical: requested };
}

async function download(url: string, policy: FetchPolicy, name: string): Promise<Buffer> {
  try {
    return (await safeFetch(url, policy)).body;
  } catch (error) {
    if (error instanceof FetchError && error.kind === 'too-large')
      throw new UserFacingError(
        `“${name}” is larger than ${formatMb(policy.maxBytes)}, the limit for added files.`,
      );
    throw asUserError(error, name);
  }
}

function asUserError(error: unknown, what: string): Error {
  if (error instanceof FetchError) return new UserFacingError(`Could not fetch ${what}: ${error.message}.`);
  return error as Error;
}

/** Runs the corpus reader on the file in a private staging folder; returns its titles or refuses with the reason. */
async function checkReadable(corpusDir: string, name: string, bytes: Buffer): Promise<string[]> {
  const dir = path.join(corpusDir, STAGING_DIR, `check-${randomBytes(6).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(path.join(dir, name), bytes);
    const corpus = await readCorpus(dir, { maxFileBytes: Number.MAX_SAFE_INTEGER });
    if (corpus.articles.length === 0)
      throw new UserFacingError(
        `Nothing in that file can be added: ${corpus.skipped.map((s) => s.reason).join('; ') || 'no article found'}.`,
      );
    return corpus.articles.map((a) => a.title);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
