import type { Digest } from './build.js';
import type { Subscription } from './subscription.js';

/** What became of posting one message: posted, or failed for a reason a person can act on. */
export type PostResult = { ok: true } | { ok: false; reason: string };
/** What posting a whole digest at once made of it (instant alerts): so many messages, or why not. */
export type DeliveryResult = { ok: true; messages: number } | { ok: false; reason: string };

/**
 * Posts digests, one message at a time. Rendering is deterministic (the same digest gives the same
 * messages), so a digest can be stored and its remaining messages posted later.
 */
export interface DigestPoster {
  /** How many messages the digest takes. */
  messageCount(subscription: Subscription, digest: Digest): number;
  /** Posts message `index` (from 0) of the digest. */
  post(subscription: Subscription, digest: Digest, index: number): Promise<PostResult>;
}
