import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { SUPPORTED_EXTENSIONS } from '../corpus/parse-bytes.js';
import type { IngestCorpus } from '../intake/ingest-seam.js';
import type { Logger } from '../logger.js';
import { realTimers, type Timers } from '../util/timers.js';

export interface CorpusWatcherOptions {
  dir: string;
  ingest: IngestCorpus;
  /** Quiet time after the last change before files are checked and ingested. */
  debounceMs: number;
  log: Logger;
  timers?: Timers;
  /** Told of every change taken into account (tests wait on it). */
  onChange?: (pending: number) => void;
  /** Told how each quiet period ended: still changing (waiting again), ingested, or nothing left to do. */
  onSettle?: (outcome: 'waiting' | 'ingested' | 'idle') => void;
}

type Signature = string;

/**
 * Ingests the corpus folder when files in it are added, changed or removed, while the bot runs.
 *
 * - Debounced: changes gather until the folder has been quiet for `debounceMs`; a burst of 500 files is one
 *   ingest.
 * - Never half-written: before ingesting, every changed file must show the same size and modification time
 *   at two checks one quiet period apart; a file still growing postpones the ingest. (Clipdesk's own writers,
 *   feeds and /add, never expose a partial file at all: they write in a dot-folder and rename.)
 * - Dot-files and dot-folders are ignored, like the corpus reader ignores them; so are unsupported types.
 * - A change the last ingest already read (the file was last touched before that ingest began) is not
 *   ingested again: a feed poll that writes and ingests does not cause a second ingest.
 */
export class CorpusWatcher {
  private watcher: FSWatcher | null = null;
  private readonly pending = new Set<string>();
  private previous = new Map<string, Signature>();
  private timer: unknown = null;
  private lastIngestStartedAt = 0;
  /** The corpus folder with its links resolved: every path handed on must lie inside it. */
  private root = '';
  private ingesting: Promise<void> | null = null;
  private readonly timers: Timers;

  constructor(private readonly options: CorpusWatcherOptions) {
    this.timers = options.timers ?? realTimers;
  }

  async start(): Promise<void> {
    const { dir } = this.options;
    this.root = await realpath(dir);
    this.watcher = watch(dir, {
      ignoreInitial: true,
      ignored: (file) => isIgnored(dir, file),
      // chokidar's own write-finish polling is wall-clock driven; the stability check here uses injected timers.
      awaitWriteFinish: false,
    });
    this.watcher.on('all', (event, file) => {
      if (event === 'addDir' || event === 'unlinkDir') return;
      void this.noted(file, event === 'unlink');
    });
    this.watcher.on('error', (error) => this.options.log.warn({ err: error }, 'corpus watcher error'));
    await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
  }

  async stop(): Promise<void> {
    if (this.timer) this.timers.clear(this.timer);
    this.timer = null;
    await this.watcher?.close();
    this.watcher = null;
  }

  /** Changes seen and not ingested yet. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Wraps an ingest that someone else starts (feeds, /add, /reindex) so the watcher knows what it covered.
   */
  track<T>(run: () => Promise<T>): Promise<T> {
    this.lastIngestStartedAt = Date.now();
    return run();
  }

  private async noted(file: string, removed: boolean): Promise<void> {
    if (!SUPPORTED_EXTENSIONS.includes(path.extname(file).toLowerCase())) return;
    if (!removed && !(await this.inside(file))) {
      this.options.log.warn(
        { file },
        'a change reached through a link to outside the corpus folder: ignored',
      );
      return;
    }
    if (!removed && (await this.coveredByLastIngest(file))) return;
    this.pending.add(file);
    this.options.onChange?.(this.pending.size);
    this.arm();
  }

  /**
   * Whether the file really lies inside the corpus folder. chokidar follows linked folders, so a link to
   * a folder outside the corpus would otherwise hand its files to the ingest.
   */
  private async inside(file: string): Promise<boolean> {
    const real = await realpath(file).catch(() => null);
    return real === null || real === this.root || real.startsWith(this.root + path.sep);
  }

  /** The file exists and was last touched before the latest ingest began (which therefore read it whole). */
  private async coveredByLastIngest(file: string): Promise<boolean> {
    const info = await stat(file).catch(() => null);
    // Compared with file-system times, which are wall-clock by nature.
    return info !== null && Math.max(info.mtimeMs, info.ctimeMs) < this.lastIngestStartedAt;
  }

  private arm(): void {
    if (this.timer) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.settle().then((outcome) => this.options.onSettle?.(outcome));
    }, this.options.debounceMs);
  }

  /** After a quiet period: ingest if every pending file is unchanged since the previous check, else wait. */
  private async settle(): Promise<'waiting' | 'ingested' | 'idle'> {
    if (this.ingesting) {
      // Changes that arrive during an ingest are handled after it.
      await this.ingesting;
      if (this.pending.size) this.arm();
      return 'waiting';
    }
    for (const file of [...this.pending]) if (await this.coveredByLastIngest(file)) this.pending.delete(file);
    if (this.pending.size === 0) return 'idle';
    const now = new Map<string, Signature>();
    for (const file of this.pending) now.set(file, await signature(file));
    const stable = [...now].every(([file, sig]) => this.previous.get(file) === sig);
    this.previous = now;
    if (!stable) {
      this.arm();
      return 'waiting';
    }
    const changed = [...this.pending];
    const files = changed.length;
    this.pending.clear();
    this.previous = new Map();
    this.ingesting = (async () => {
      try {
        const { summary } = await this.track(() => this.options.ingest(changed));
        this.options.log.info(
          { files, added: summary.added, updated: summary.updated, removed: summary.removed },
          'corpus folder changed: ingested',
        );
      } catch (error) {
        this.options.log.error({ err: error }, 'ingest after a corpus change failed');
      }
    })();
    await this.ingesting;
    this.ingesting = null;
    return 'ingested';
  }
}

async function signature(file: string): Promise<Signature> {
  const info = await stat(file).catch(() => null);
  return info ? `${info.size}:${info.mtimeMs}` : 'gone';
}

function isIgnored(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  if (relative === '') return false;
  return relative.split(path.sep).some((part) => part.startsWith('.'));
}
