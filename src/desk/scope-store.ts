import path from 'node:path';
import { z } from 'zod';
import { type Logger, silentLogger } from '../logger.js';
import { type ArchiveScope, archiveScopeSchema } from '../search/scope.js';
import { SerialQueue } from '../util/serial-queue.js';
import { ensureStateDir, readStateFile, writeStateFile } from '../util/state-file.js';

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO time');
const channelScopeSchema = z.object({
  guildId: z.string().min(1),
  scope: archiveScopeSchema,
  setBy: z.string().min(1),
  setAt: isoTime,
});
const fileSchema = z.object({ version: z.literal(1), channels: z.record(channelScopeSchema) });

export type ChannelScope = z.infer<typeof channelScopeSchema>;

/**
 * DATA_DIR/scopes.json: the part of the archive each channel sees (/scope set), by channel id; a thread
 * sees its parent channel's. Checked with zod on load (a damaged file is moved aside and logged, and every
 * channel sees the whole archive until a scope is set again); written atomically through one queue.
 */
export class ScopeStore {
  private readonly queue = new SerialQueue();

  private constructor(
    readonly file: string,
    private data: z.infer<typeof fileSchema>,
  ) {}

  static async open(dataDir: string, options: { log?: Logger; now?: () => Date } = {}): Promise<ScopeStore> {
    const file = path.join(dataDir, 'scopes.json');
    await ensureStateDir(dataDir);
    const data = await readStateFile(file, fileSchema, {
      log: options.log ?? silentLogger(),
      now: options.now ?? (() => new Date()),
      consequence: 'every channel sees the whole archive until its scope is set again with /scope set',
    });
    return new ScopeStore(file, data ?? { version: 1, channels: {} });
  }

  get(channelId: string): ChannelScope | undefined {
    return this.data.channels[channelId];
  }

  /** The scope of a channel, or null when it sees the whole archive. */
  scopeOf(channelId: string | null | undefined): ArchiveScope | null {
    return channelId ? (this.data.channels[channelId]?.scope ?? null) : null;
  }

  set(channelId: string, entry: ChannelScope | null): Promise<void> {
    return this.queue.run(async () => {
      const next = structuredClone(this.data);
      if (entry) next.channels[channelId] = entry;
      else delete next.channels[channelId];
      await writeStateFile(this.file, JSON.stringify(next, null, 2));
      this.data = next;
    });
  }
}
