/** Small helpers: snowflakes, timestamps, Discord-shaped errors. */
import { randomBytes } from 'node:crypto';

/** Untyped JSON as the bot sends it (Discord payloads are checked at runtime, not by types). */
// biome-ignore lint/suspicious/noExplicitAny: JSON from the wire is untyped; one alias keeps that explicit.
export type Json = any;

const DISCORD_EPOCH = 1420070400000n;

export class Snowflakes {
  #last = 0n;
  #increment = 0n;
  constructor(private readonly now: () => number) {}

  next(): string {
    const ms = BigInt(Math.max(Math.floor(this.now()), Number(DISCORD_EPOCH)));
    this.#increment = (this.#increment + 1n) & 0xfffn;
    let id = ((ms - DISCORD_EPOCH) << 22n) | (1n << 17n) | this.#increment;
    if (id <= this.#last) id = this.#last + 1n;
    this.#last = id;
    return id.toString();
  }
}

export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

export function interactionToken(id: string): string {
  return `aW50ZXJhY3Rpb246${Buffer.from(id).toString('base64url')}${randomBytes(24).toString('base64url')}`;
}

export interface FieldError {
  code: string;
  message: string;
}

/** An error answered to the bot with Discord's JSON error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { code: number; message: string; errors?: unknown; [k: string]: unknown },
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${body.code} ${body.message}`);
  }
}

export const errors = {
  unauthorized: () => new ApiError(401, { message: '401: Unauthorized', code: 0 }),
  notFound: () => new ApiError(404, { message: '404: Not Found', code: 0 }),
  methodNotAllowed: () => new ApiError(405, { message: '405: Method Not Allowed', code: 0 }),
  unknownChannel: () => new ApiError(404, { message: 'Unknown Channel', code: 10003 }),
  unknownGuild: () => new ApiError(404, { message: 'Unknown Guild', code: 10004 }),
  unknownMessage: () => new ApiError(404, { message: 'Unknown Message', code: 10008 }),
  unknownMember: () => new ApiError(404, { message: 'Unknown Member', code: 10007 }),
  unknownUser: () => new ApiError(404, { message: 'Unknown User', code: 10013 }),
  unknownWebhook: () => new ApiError(404, { message: 'Unknown Webhook', code: 10015 }),
  unknownCommand: () => new ApiError(404, { message: 'Unknown application command', code: 10063 }),
  unknownInteraction: () => new ApiError(404, { message: 'Unknown interaction', code: 10062 }),
  alreadyAcknowledged: () =>
    new ApiError(400, { message: 'Interaction has already been acknowledged.', code: 40060 }),
  missingAccess: () => new ApiError(403, { message: 'Missing Access', code: 50001 }),
  cannotEditOthers: () =>
    new ApiError(403, { message: 'Cannot edit a message authored by another user', code: 50005 }),
  emptyMessage: () => new ApiError(400, { message: 'Cannot send an empty message', code: 50006 }),
  nonTextChannel: () =>
    new ApiError(400, { message: 'Cannot send messages in a non-text channel', code: 50008 }),
  cannotDm: () => new ApiError(403, { message: 'Cannot send messages to this user', code: 50007 }),
  missingPermissions: () => new ApiError(403, { message: 'Missing Permissions', code: 50013 }),
  invalidWebhookToken: () => new ApiError(401, { message: 'Invalid Webhook Token', code: 50027 }),
  badRequest: (message = '400: Bad Request') => new ApiError(400, { message, code: 0 }),
  threadExists: () =>
    new ApiError(400, { message: 'A thread has already been created for this message', code: 160004 }),
};

/** Collects field errors and turns them into Discord's nested `errors` object (code 50035). */
export class FormErrors {
  readonly list: Array<{ path: Array<string | number>; error: FieldError }> = [];

  add(path: Array<string | number>, code: string, message: string): void {
    this.list.push({ path, error: { code, message } });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  toApiError(): ApiError {
    const root: Record<string, unknown> = {};
    for (const { path, error } of this.list) {
      let node = root;
      for (const key of path) {
        const k = String(key);
        node[k] ??= {};
        node = node[k] as Record<string, unknown>;
      }
      if (!Array.isArray(node._errors)) node._errors = [];
      (node._errors as FieldError[]).push(error);
    }
    return new ApiError(400, { code: 50035, errors: root, message: 'Invalid Form Body' });
  }

  throwIfAny(): void {
    if (!this.empty) throw this.toApiError();
  }
}

export function isRecord(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
