/** Application command registration routes (global and guild), with Discord's main validation rules. */
import { len } from './limits.js';
import { type Route, type RouteContext, route } from './router.js';
import type { CommandRecord, StandInState } from './state.js';
import { errors, FormErrors, isRecord, type Json } from './util.js';

const NAME_RE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateOptions(errs: FormErrors, path: Array<string | number>, options: unknown, depth: number) {
  if (options == null) return;
  if (!Array.isArray(options)) {
    errs.add(path, 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    return;
  }
  if (options.length > 25) errs.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  let sawOptional = false;
  const names = new Set<string>();
  for (const [i, o] of options.entries()) {
    const p = [...path, i];
    if (!isRecord(o)) continue;
    if (typeof o.type !== 'number' || o.type < 1 || o.type > 11) {
      errs.add(
        [...p, 'type'],
        'BASE_TYPE_CHOICES',
        'Value must be one of (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).',
      );
    }
    if (typeof o.name !== 'string' || !NAME_RE.test(o.name) || o.name !== o.name.toLowerCase()) {
      errs.add([...p, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    } else if (names.has(o.name)) {
      errs.add(
        [...p, 'name'],
        'APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS',
        'Option name already exists',
      );
    } else names.add(o.name);
    const d = len(o.description);
    if (d < 1 || d > 100)
      errs.add([...p, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    if (o.required === true && sawOptional) {
      errs.add(
        p,
        'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        'Required options must be placed before non-required options',
      );
    }
    if (o.required !== true && o.type !== 1 && o.type !== 2) sawOptional = true;
    if (Array.isArray(o.choices)) {
      if (o.choices.length > 25)
        errs.add([...p, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      if (o.autocomplete === true) {
        errs.add(
          [...p, 'autocomplete'],
          'AUTOCOMPLETE_CHOICES_EXCLUSIVE',
          'Autocomplete and choices are mutually exclusive',
        );
      }
      for (const [ci, c] of o.choices.entries()) {
        if (isRecord(c) && (len(c.name) < 1 || len(c.name) > 100)) {
          errs.add(
            [...p, 'choices', ci, 'name'],
            'BASE_TYPE_BAD_LENGTH',
            'Must be between 1 and 100 in length.',
          );
        }
        if (isRecord(c) && typeof c.value === 'string' && len(c.value) > 100) {
          errs.add([...p, 'choices', ci, 'value'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
        }
      }
    }
    if ((o.type === 1 || o.type === 2) && depth < 2)
      validateOptions(errs, [...p, 'options'], o.options, depth + 1);
  }
}

export function validateCommand(errs: FormErrors, path: Array<string | number>, c: unknown): void {
  if (!isRecord(c)) {
    errs.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return;
  }
  const type = c.type ?? 1;
  const nameOk =
    typeof c.name === 'string' &&
    (type === 1
      ? NAME_RE.test(c.name) && c.name === c.name.toLowerCase()
      : len(c.name) >= 1 && len(c.name) <= 32);
  if (!nameOk) errs.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  const d = len(c.description);
  if (type === 1 && (d < 1 || d > 100)) {
    errs.add([...path, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  if (type === 1) validateOptions(errs, [...path, 'options'], c.options, 0);
}

function commandJson(
  state: StandInState,
  rec: Omit<CommandRecord, 'json'>,
  body: Record<string, Json>,
  version: string,
) {
  const json: Record<string, Json> = {
    id: rec.id,
    application_id: state.applicationId,
    version,
    default_member_permissions: body.default_member_permissions ?? null,
    type: rec.type,
    name: rec.name,
    name_localizations: body.name_localizations ?? null,
    description: body.description ?? '',
    description_localizations: body.description_localizations ?? null,
    ...(Array.isArray(body.options) && body.options.length > 0
      ? { options: structuredClone(body.options) }
      : {}),
    nsfw: body.nsfw ?? false,
    ...(rec.guildId
      ? { guild_id: rec.guildId }
      : {
          dm_permission: body.dm_permission ?? true,
          contexts: body.contexts ?? null,
          integration_types: body.integration_types ?? [0],
        }),
  };
  return json;
}

/** Creates or updates (same name and type) a command; ids survive overwrites like on Discord. */
function upsert(state: StandInState, guildId: string | undefined, body: Record<string, Json>) {
  const type = body.type ?? 1;
  const existing = state.commands.find(
    (c) => c.guildId === guildId && c.name === body.name && c.type === type,
  );
  const base = {
    id: existing?.id ?? state.ids.next(),
    name: body.name as string,
    type,
    ...(guildId ? { guildId } : {}),
  };
  const json = commandJson(state, base, body, existing?.json.version ?? state.ids.next());
  if (
    existing &&
    JSON.stringify({ ...existing.json, version: '' }) !== JSON.stringify({ ...json, version: '' })
  ) {
    json.version = state.ids.next();
  }
  const rec: CommandRecord = { ...base, json };
  if (existing) state.commands.splice(state.commands.indexOf(existing), 1, rec);
  else state.commands.push(rec);
  return { rec, created: !existing };
}

function scope(ctx: RouteContext): string | undefined {
  if (ctx.params.app !== ctx.state.applicationId) throw errors.missingAccess();
  const guildId = ctx.params.guild;
  if (guildId !== undefined && !ctx.state.guildById(guildId)) throw errors.unknownGuild();
  return guildId;
}

const listed = (state: StandInState, guildId: string | undefined) =>
  state.commands.filter((c) => c.guildId === guildId).map((c) => c.json);

function find(ctx: RouteContext, guildId: string | undefined): CommandRecord {
  const rec = ctx.state.commands.find((c) => c.id === ctx.params.command && c.guildId === guildId);
  if (!rec) throw errors.unknownCommand();
  return rec;
}

export function commandRoutes(): Route[] {
  const routes: Route[] = [];
  for (const base of ['/applications/:app/commands', '/applications/:app/guilds/:guild/commands']) {
    routes.push(
      route('GET', base, (ctx) => ({ status: 200, body: listed(ctx.state, scope(ctx)) })),
      route('PUT', base, (ctx) => {
        const guildId = scope(ctx);
        if (!Array.isArray(ctx.body)) throw errors.badRequest();
        const errs = new FormErrors();
        const seen = new Set<string>();
        for (const [i, c] of ctx.body.entries()) {
          validateCommand(errs, [i], c);
          const key = `${c?.type ?? 1}:${c?.name}`;
          if (seen.has(key))
            errs.add(
              [i, 'name'],
              'APPLICATION_COMMANDS_DUPLICATE_NAME',
              'Application command names must be unique',
            );
          seen.add(key);
        }
        if (ctx.body.length > 100) errs.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
        errs.throwIfAny();
        const kept = ctx.body.map((c: Record<string, Json>) => upsert(ctx.state, guildId, c).rec);
        for (const c of [...ctx.state.commands]) {
          if (c.guildId === guildId && !kept.includes(c))
            ctx.state.commands.splice(ctx.state.commands.indexOf(c), 1);
        }
        return { status: 200, body: kept.map((c: CommandRecord) => c.json) };
      }),
      route('POST', base, (ctx) => {
        const guildId = scope(ctx);
        const errs = new FormErrors();
        validateCommand(errs, [], ctx.body);
        errs.throwIfAny();
        const { rec, created } = upsert(ctx.state, guildId, ctx.body);
        return { status: created ? 201 : 200, body: rec.json };
      }),
      route('GET', `${base}/:command`, (ctx) => ({ status: 200, body: find(ctx, scope(ctx)).json })),
      route('PATCH', `${base}/:command`, (ctx) => {
        const guildId = scope(ctx);
        const rec = find(ctx, guildId);
        const merged = { ...rec.json, ...(isRecord(ctx.body) ? ctx.body : {}) };
        const errs = new FormErrors();
        validateCommand(errs, [], merged);
        errs.throwIfAny();
        const json = commandJson(ctx.state, rec, merged, ctx.state.ids.next());
        rec.json = json;
        rec.name = json.name;
        return { status: 200, body: json };
      }),
      route('DELETE', `${base}/:command`, (ctx) => {
        const rec = find(ctx, scope(ctx));
        ctx.state.commands.splice(ctx.state.commands.indexOf(rec), 1);
        return { status: 204 };
      }),
    );
  }
  return routes;
}
