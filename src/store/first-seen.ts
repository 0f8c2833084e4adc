import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { errorCode } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * When each article first entered the archive, kept apart from the index (INDEX_DIR/first-seen.jsonl,
 * append-only) so that it survives what rebuilds the index: a new model, a damaged or older-format index,
 * a changed splitter. An article is recognised by its id (its file path) or, when the file moved, by its
 * content hash, so a folder reorganisation does not re-announce the archive as new. Digests rely on it.
 */

const FILE = 'first-seen.jsonl';

interface Entry {
  id: string;
  hash: string;
  addedAt: string;
}

const openLedgers = new Map<string, { ledger: FirstSeen; size: number; mtimeMs: number }>();

export class FirstSeen {
  private constructor(
    private readonly file: string,
    private readonly byId: Map<string, string>,
    private readonly byHash: Map<string, string>,
  ) {}

  /**
   * The ledger of an index folder. A process keeps it open between ingests (the bot's feeds and uploads
   * ingest often): it is read again only when someone else has changed the file.
   */
  static async open(indexDir: string): Promise<FirstSeen> {
    const file = path.join(indexDir, FILE);
    const info = await stat(file).catch(() => null);
    const cached = openLedgers.get(file);
    if (cached && cached.size === (info?.size ?? -1) && cached.mtimeMs === (info?.mtimeMs ?? -1))
      return cached.ledger;
    const ledger = await FirstSeen.read(file);
    openLedgers.set(file, { ledger, size: info?.size ?? -1, mtimeMs: info?.mtimeMs ?? -1 });
    return ledger;
  }

  private static async read(file: string): Promise<FirstSeen> {
    const byId = new Map<string, string>();
    const byHash = new Map<string, string>();
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
    let lines = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      lines++;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue; // a torn last line after a crash: the others still count
      }
      if (!isEntry(value)) continue;
      const entry = value;
      // The earliest time wins: an article seen again later is not new.
      if (!byId.has(entry.id) || (byId.get(entry.id) as string) > entry.addedAt)
        byId.set(entry.id, entry.addedAt);
      if (!byHash.has(entry.hash) || (byHash.get(entry.hash) as string) > entry.addedAt)
        byHash.set(entry.hash, entry.addedAt);
    }
    const ledger = new FirstSeen(file, byId, byHash);
    if (lines > 2 * byId.size + 1000) await ledger.compact();
    return ledger;
  }

  /** When this article (by id, else by content) was first seen, or undefined for a new one. */
  lookup(article: { id: string; hash: string }): string | undefined {
    return this.byId.get(article.id) ?? this.byHash.get(article.hash);
  }

  /** Remembers articles not seen before (by id or content); returns how many were new. */
  async record(articles: Array<{ id: string; hash: string; addedAt: string }>): Promise<number> {
    const lines: string[] = [];
    for (const a of articles) {
      if (this.byId.has(a.id) && this.byHash.has(a.hash)) continue;
      if (!this.byId.has(a.id)) this.byId.set(a.id, a.addedAt);
      if (!this.byHash.has(a.hash)) this.byHash.set(a.hash, a.addedAt);
      lines.push(JSON.stringify({ id: a.id, hash: a.hash, addedAt: a.addedAt }));
    }
    if (lines.length > 0) {
      await mkdir(path.dirname(this.file), { recursive: true });
      // One append: a crash leaves at most a torn last line, which open() skips.
      await appendFile(this.file, `${lines.join('\n')}\n`);
      await this.remember();
    }
    return lines.length;
  }

  /** Notes the file's state after our own write, so the next open() keeps using this ledger. */
  private async remember(): Promise<void> {
    const info = await stat(this.file).catch(() => null);
    if (info) openLedgers.set(this.file, { ledger: this, size: info.size, mtimeMs: info.mtimeMs });
  }

  private async compact(): Promise<void> {
    const lines = [...this.byId].map(([id, addedAt]) => JSON.stringify({ id, hash: '', addedAt }));
    const hashes = [...this.byHash].map(([hash, addedAt]) => JSON.stringify({ id: '', hash, addedAt }));
    await writeFileAtomic(this.file, `${[...lines, ...hashes].join('\n')}\n`);
    await this.remember();
  }
}

/** Checked by hand rather than with zod: a large archive's ledger has a line per article. */
function isEntry(value: unknown): value is Entry {
  if (typeof value !== 'object' || value === null) return false;
  const entry: { id?: unknown; hash?: unknown; addedAt?: unknown } = value;
  return typeof entry.id === 'string' && typeof entry.hash === 'string' && typeof entry.addedAt === 'string';
}
