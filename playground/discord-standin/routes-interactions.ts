/**
 * Interaction routes (no bot auth): the initial callback and the interaction webhook
 * (@original, follow-ups). Enforces the 3 s / 15 min windows and single acknowledgement.
 */
import { validateChoices } from './limits.js';
import { createMessage, deleteMessage, editMessage } from './messages.js';
import { MessageFlag, messagePayload } from './payloads.js';
import { type Route, type RouteContext, route } from './router.js';
import type { InteractionRecord, StandInState, StoredMessage } from './state.js';
import { ApiError, errors, FormErrors, isRecord, type Json } from './util.js';

export const CALLBACK_WINDOW_MS = 3_000;
export const TOKEN_LIFETIME_MS = 15 * 60_000;

/** Callback types Discord accepts per interaction type (1 ping, 2 command, 3 component, 4 autocomplete, 5 modal). */
const ALLOWED_CALLBACKS: Record<number, number[]> = {
  1: [1],
  2: [4, 5, 9],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};

/** Runs `fn`; a refused call is recorded on the interaction before it is answered. */
function guarded<T>(ctx: RouteContext, interaction: InteractionRecord | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (interaction && error instanceof ApiError) {
      interaction.rejected.push({
        route: `${ctx.method} ${ctx.path}`,
        status: error.status,
        code: error.body.code,
        message: error.body.message,
      });
    }
    throw error;
  }
}

function channelOf(state: StandInState, interaction: InteractionRecord) {
  const channel = state.channels.get(interaction.channelId);
  if (!channel) throw errors.unknownChannel();
  return channel;
}

function replyMessage(
  state: StandInState,
  ctx: RouteContext,
  interaction: InteractionRecord,
  data: unknown,
  loading: boolean,
) {
  const body = isRecord(data) ? data : {};
  return createMessage(state, ctx, loading ? { flags: body.flags } : body, {
    channel: channelOf(state, interaction),
    authorId: state.botUserId,
    type: interaction.type === 2 ? 20 : 0,
    interactionId: interaction.id,
    webhookId: state.applicationId,
    extraFlags: MessageFlag.Ephemeral | (loading ? MessageFlag.Loading : 0),
    errorPrefix: ['data'],
    placeholder: loading,
  });
}

function withLoading(body: Record<string, Json> | undefined): Record<string, Json> {
  return { ...(body ?? {}), flags: ((body?.flags as number | undefined) ?? 0) | MessageFlag.Loading };
}

function callback(ctx: RouteContext) {
  const { state } = ctx;
  const interaction = state.interactions.get(ctx.params.interaction ?? '');
  if (!interaction || interaction.token !== ctx.params.token) throw errors.unknownInteraction();
  return guarded(ctx, interaction, () => {
    if (interaction.acknowledged) throw errors.alreadyAcknowledged();
    if (interaction.expired || state.now() - interaction.dispatchedAt > CALLBACK_WINDOW_MS) {
      throw errors.unknownInteraction();
    }
    const body = isRecord(ctx.body) ? ctx.body : {};
    const type = body.type;
    const allowed = ALLOWED_CALLBACKS[interaction.type] ?? [];
    if (typeof type !== 'number' || !allowed.includes(type)) {
      const errs = new FormErrors();
      errs.add(
        ['type'],
        'INTERACTION_RESPONSE_TYPE_INVALID',
        `Value must be one of (${allowed.join(', ')}).`,
      );
      throw errs.toApiError();
    }
    let message: StoredMessage | undefined;
    const source = interaction.sourceMessageId ? state.messages.get(interaction.sourceMessageId) : undefined;
    switch (type) {
      case 4:
        message = replyMessage(state, ctx, interaction, body.data, false);
        interaction.originalMessageId = message.id;
        interaction.finalReply = true;
        break;
      case 5:
        message = replyMessage(state, ctx, interaction, withLoading(body.data), true);
        interaction.originalMessageId = message.id;
        break;
      case 6:
      case 7:
        if (!source || source.deleted) throw errors.unknownMessage();
        if (type === 7) {
          editMessage(state, ctx, source, isRecord(body.data) ? body.data : {}, ['data']);
          interaction.finalReply = true;
        }
        message = source;
        interaction.originalMessageId = source.id;
        break;
      case 8:
        validateChoices(body.data).throwIfAny();
        interaction.choices = structuredClone((body.data as { choices?: [] } | undefined)?.choices ?? []);
        break;
      case 9:
        validateModal(body.data).throwIfAny();
        break;
    }
    interaction.acknowledged = true;
    interaction.ackType = type;
    interaction.callbacks.push({
      type,
      ...(body.data !== undefined ? { data: structuredClone(body.data) } : {}),
      at: state.now(),
    });
    if (ctx.query.get('with_response') !== 'true') return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: interaction.id,
          type: interaction.type,
          ...(message
            ? {
                response_message_id: message.id,
                response_message_loading: (message.flags & MessageFlag.Loading) !== 0,
                response_message_ephemeral: (message.flags & MessageFlag.Ephemeral) !== 0,
              }
            : {}),
        },
        resource: { type, ...(message ? { message: messagePayload(state, message) } : {}) },
      },
    };
  });
}

function validateModal(data: unknown): FormErrors {
  const errs = new FormErrors();
  const d = isRecord(data) ? data : {};
  if (typeof d.custom_id !== 'string' || d.custom_id.length === 0 || [...d.custom_id].length > 100) {
    errs.add(['data', 'custom_id'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  if (typeof d.title !== 'string' || d.title.length === 0 || [...d.title].length > 45) {
    errs.add(['data', 'title'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 45 in length.');
  }
  if (!Array.isArray(d.components) || d.components.length < 1 || d.components.length > 5) {
    errs.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  }
  return errs;
}

/** Resolves the interaction behind /webhooks/{application}/{token}; checks token lifetime. */
function webhookInteraction(ctx: RouteContext): InteractionRecord {
  const { state } = ctx;
  const interaction = state.interactionsByToken.get(ctx.params.token ?? '');
  if (!interaction || ctx.params.app !== state.applicationId) throw errors.unknownWebhook();
  return interaction;
}

function checkToken(state: StandInState, interaction: InteractionRecord): void {
  if (interaction.expired || state.now() - interaction.dispatchedAt > TOKEN_LIFETIME_MS) {
    throw errors.invalidWebhookToken();
  }
}

function targetMessage(ctx: RouteContext, interaction: InteractionRecord): StoredMessage {
  const id = ctx.params.message === '@original' ? interaction.originalMessageId : ctx.params.message;
  const owned =
    id !== undefined && (id === interaction.originalMessageId || interaction.followUpIds.includes(id));
  const msg = owned ? ctx.state.messages.get(id) : undefined;
  if (!interaction.acknowledged || !msg || msg.deleted) throw errors.unknownMessage();
  return msg;
}

export function interactionRoutes(): Route[] {
  const hook = '/webhooks/:app/:token';
  return [
    route('POST', '/interactions/:interaction/:token/callback', callback, false),
    route(
      'POST',
      hook,
      (ctx) => {
        const interaction = webhookInteraction(ctx);
        return guarded(ctx, interaction, () => {
          checkToken(ctx.state, interaction);
          if (!interaction.acknowledged) throw errors.unknownWebhook();
          const body = isRecord(ctx.body) ? ctx.body : {};
          const original = interaction.originalMessageId
            ? ctx.state.messages.get(interaction.originalMessageId)
            : undefined;
          let msg: StoredMessage;
          if (
            interaction.ackType === 5 &&
            original &&
            !original.deleted &&
            (original.flags & MessageFlag.Loading) !== 0
          ) {
            // Discord: the first follow-up after a deferred reply edits the loading message (ephemeral state kept).
            msg = editMessage(ctx.state, ctx, original, body);
            interaction.finalReply = true;
          } else {
            msg = createMessage(ctx.state, ctx, body, {
              channel: channelOf(ctx.state, interaction),
              authorId: ctx.state.botUserId,
              interactionId: interaction.id,
              webhookId: ctx.state.applicationId,
              extraFlags: MessageFlag.Ephemeral,
            });
            interaction.followUpIds.push(msg.id);
          }
          if (ctx.query.get('wait') !== 'true') return { status: 204 };
          return { status: 200, body: messagePayload(ctx.state, msg) };
        });
      },
      false,
    ),
    route(
      'GET',
      `${hook}/messages/:message`,
      (ctx) => {
        const interaction = webhookInteraction(ctx);
        return guarded(ctx, interaction, () => {
          checkToken(ctx.state, interaction);
          return { status: 200, body: messagePayload(ctx.state, targetMessage(ctx, interaction)) };
        });
      },
      false,
    ),
    route(
      'PATCH',
      `${hook}/messages/:message`,
      (ctx) => {
        const interaction = webhookInteraction(ctx);
        return guarded(ctx, interaction, () => {
          checkToken(ctx.state, interaction);
          const msg = targetMessage(ctx, interaction);
          editMessage(ctx.state, ctx, msg, isRecord(ctx.body) ? ctx.body : {});
          if (msg.id === interaction.originalMessageId) interaction.finalReply = true;
          return { status: 200, body: messagePayload(ctx.state, msg) };
        });
      },
      false,
    ),
    route(
      'DELETE',
      `${hook}/messages/:message`,
      (ctx) => {
        const interaction = webhookInteraction(ctx);
        return guarded(ctx, interaction, () => {
          checkToken(ctx.state, interaction);
          deleteMessage(ctx.state, targetMessage(ctx, interaction));
          return { status: 204 };
        });
      },
      false,
    ),
  ];
}
