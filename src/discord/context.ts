import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotConfig } from '../config.js';
import type { ScopeStore } from '../desk/scope-store.js';
import type { ThreadStore } from '../desk/thread-store.js';
import type { DeskTrail } from '../desk/trail.js';
import type { DigestScheduler } from '../digest/scheduler.js';
import type { SubscriptionStore } from '../digest/store.js';
import type { IngestResult } from '../ingest/ingest.js';
import type { LivingArchive } from '../living-archive.js';
import type { Logger } from '../logger.js';
import type { SearchService } from '../search/search-service.js';
import type { AnswerStore } from './answer-store.js';
import type { FeedbackStore } from './feedback-store.js';
import type { GuildAccess } from './guild-access.js';

/** What every command and handler gets: plain services, no container. */
export interface BotContext {
  config: Readonly<BotConfig>;
  log: Logger;
  search: SearchService;
  answers: AnswerStore;
  feedback: FeedbackStore;
  /**
   * Incremental ingest through the index's one write queue; the search picks up the result. With
   * `verifyIndex`, every index segment is read against its checksums and a damaged one repaired.
   */
  reindex: (options?: { verifyIndex?: boolean }) => Promise<IngestResult>;
  startedAt: Date;
  version: string;
  now: () => Date;
  digests: { store: SubscriptionStore; scheduler: DigestScheduler };
  /** Feeds, the watched folder, /add and instant alerts (issue 10); absent where a context is built by hand. */
  living?: LivingArchive;
  /** DISCORD_ALLOWED_GUILDS: which servers and which DM senders the bot serves. */
  access: GuildAccess;
  /** Issue 18: channel scopes, follow-up threads and the desk's trail (desk.jsonl). */
  desk: { scopes: ScopeStore; threads: ThreadStore; trail: DeskTrail };
}

/** A slash command: its definition as plain JSON (deploy and runtime read the same object) plus handlers. */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext, log: Logger): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
  /** Buttons whose custom id starts with `<prefix>:`. */
  buttons?: {
    prefix: string;
    handle(interaction: ButtonInteraction, ctx: BotContext, log: Logger): Promise<void>;
  };
}
