/**
 * Payload validation with Discord's limits and its 50035 "Invalid Form Body" error shape.
 * Lengths are counted in Unicode code points, as Discord does.
 */
import { FormErrors, isRecord, type Json } from './util.js';

type Path = Array<string | number>;

export const len = (s: unknown): number => (typeof s === 'string' ? [...s].length : 0);

const maxLength = (errs: FormErrors, path: Path, value: unknown, max: number) => {
  if (value == null) return;
  if (typeof value !== 'string')
    errs.add(path, 'STRING_TYPE_CONVERT', 'Could not interpret value as string.');
  else if (len(value) > max) errs.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
};

const required = (errs: FormErrors, path: Path, value: unknown): boolean => {
  if (value == null || value === '') {
    errs.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return false;
  }
  return true;
};

const arrayMax = (errs: FormErrors, path: Path, value: unknown, max: number, min = 0): value is unknown[] => {
  if (value == null) return false;
  if (!Array.isArray(value)) {
    errs.add(path, 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    return false;
  }
  if (value.length > max || value.length < min) {
    errs.add(
      path,
      min > 0 ? 'BASE_TYPE_BAD_LENGTH' : 'BASE_TYPE_MAX_LENGTH',
      min > 0 ? `Must be between ${min} and ${max} in length.` : `Must be ${max} or fewer in length.`,
    );
  }
  return true;
};

function validateEmbeds(errs: FormErrors, path: Path, embeds: unknown): void {
  if (!arrayMax(errs, path, embeds, 10)) return;
  let total = 0;
  for (const [i, embed] of embeds.entries()) {
    if (!isRecord(embed)) continue;
    const p = [...path, i];
    maxLength(errs, [...p, 'title'], embed.title, 256);
    maxLength(errs, [...p, 'description'], embed.description, 4096);
    maxLength(errs, [...p, 'footer', 'text'], embed.footer?.text, 2048);
    maxLength(errs, [...p, 'author', 'name'], embed.author?.name, 256);
    total += len(embed.title) + len(embed.description) + len(embed.footer?.text) + len(embed.author?.name);
    if (arrayMax(errs, [...p, 'fields'], embed.fields, 25)) {
      for (const [fi, field] of (embed.fields as unknown[]).entries()) {
        if (!isRecord(field)) continue;
        const fp = [...p, 'fields', fi];
        if (required(errs, [...fp, 'name'], field.name)) maxLength(errs, [...fp, 'name'], field.name, 256);
        if (required(errs, [...fp, 'value'], field.value))
          maxLength(errs, [...fp, 'value'], field.value, 1024);
        total += len(field.name) + len(field.value);
      }
    }
  }
  if (total > 6000) errs.add(path, 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

function validateButton(errs: FormErrors, p: Path, c: Record<string, Json>, seen: Set<string>): void {
  const style = c.style;
  if (![1, 2, 3, 4, 5, 6].includes(style)) {
    errs.add([...p, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of (1, 2, 3, 4, 5, 6).');
  }
  maxLength(errs, [...p, 'label'], c.label, 80);
  if (style === 5) {
    if (!c.url) errs.add([...p, 'url'], 'BUTTON_COMPONENT_URL_REQUIRED', 'A url is required');
    if (c.custom_id != null) {
      errs.add(
        [...p, 'custom_id'],
        'BUTTON_COMPONENT_LINK_CUSTOM_ID',
        'A link button cannot have a custom id',
      );
    }
    maxLength(errs, [...p, 'url'], c.url, 512);
  } else if (style !== 6) {
    if (c.url != null)
      errs.add([...p, 'url'], 'BUTTON_COMPONENT_URL_NOT_ALLOWED', 'Only link buttons have a url');
    if (c.custom_id == null || c.custom_id === '') {
      errs.add([...p, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_REQUIRED', 'A custom id required');
    }
  }
  if (style !== 6 && c.label == null && c.emoji == null) {
    errs.add([...p, 'label'], 'BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED', 'A label or emoji is required');
  }
  checkCustomId(errs, p, c.custom_id, seen);
}

function checkCustomId(errs: FormErrors, p: Path, customId: unknown, seen: Set<string>): void {
  if (typeof customId !== 'string') return;
  maxLength(errs, [...p, 'custom_id'], customId, 100);
  if (seen.has(customId)) {
    errs.add(
      [...p, 'custom_id'],
      'COMPONENT_CUSTOM_ID_DUPLICATED',
      'Component custom id cannot be duplicated',
    );
  }
  seen.add(customId);
}

function validateSelect(errs: FormErrors, p: Path, c: Record<string, Json>, seen: Set<string>): void {
  required(errs, [...p, 'custom_id'], c.custom_id);
  checkCustomId(errs, p, c.custom_id, seen);
  maxLength(errs, [...p, 'placeholder'], c.placeholder, 150);
  if (c.type === 3 && arrayMax(errs, [...p, 'options'], c.options ?? [], 25, 1)) {
    for (const [i, o] of (c.options as unknown[]).entries()) {
      if (!isRecord(o)) continue;
      maxLength(errs, [...p, 'options', i, 'label'], o.label, 100);
      maxLength(errs, [...p, 'options', i, 'value'], o.value, 100);
      maxLength(errs, [...p, 'options', i, 'description'], o.description, 100);
    }
  }
}

function validateComponents(errs: FormErrors, path: Path, components: unknown, v2: boolean): void {
  if (v2) {
    // Components V2: loose check only (top-level count and custom id rules on nested interactives).
    if (!arrayMax(errs, path, components, 40)) return;
    const seen = new Set<string>();
    const walk = (c: unknown, p: Path) => {
      if (!isRecord(c)) return;
      if (c.type === 2) validateButton(errs, p, c, seen);
      else if (SELECT_TYPES.has(c.type)) validateSelect(errs, p, c, seen);
      if (Array.isArray(c.components))
        for (const [i, n] of c.components.entries()) walk(n, [...p, 'components', i]);
      if (isRecord(c.accessory)) walk(c.accessory, [...p, 'accessory']);
    };
    for (const [i, c] of (components as unknown[]).entries()) walk(c, [...path, i]);
    return;
  }
  if (!arrayMax(errs, path, components, 5)) return;
  const seen = new Set<string>();
  for (const [ri, row] of (components as unknown[]).entries()) {
    const rp = [...path, ri];
    if (!isRecord(row)) continue;
    if (row.type !== 1) {
      errs.add([...rp, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
      continue;
    }
    if (!arrayMax(errs, [...rp, 'components'], row.components ?? [], 5, 1)) continue;
    const children = row.components as unknown[];
    const hasSelect = children.some((c) => isRecord(c) && SELECT_TYPES.has(c.type));
    if (hasSelect && children.length > 1) {
      errs.add(
        [...rp, 'components'],
        'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
        'The specified component exceeds the maximum width',
      );
    }
    for (const [ci, c] of children.entries()) {
      if (!isRecord(c)) continue;
      const cp = [...rp, 'components', ci];
      if (c.type === 2) validateButton(errs, cp, c, seen);
      else if (SELECT_TYPES.has(c.type)) validateSelect(errs, cp, c, seen);
      else
        errs.add(
          [...cp, 'type'],
          'UNION_TYPE_CHOICES',
          'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).',
        );
    }
  }
}

function validateAllowedMentions(errs: FormErrors, path: Path, am: unknown): void {
  if (am == null) return;
  if (!isRecord(am)) {
    errs.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return;
  }
  const parse: unknown[] = Array.isArray(am.parse) ? am.parse : [];
  for (const [i, v] of parse.entries()) {
    if (!['users', 'roles', 'everyone'].includes(v as string)) {
      errs.add([...path, 'parse', i], 'BASE_TYPE_CHOICES', 'Value must be one of (users, roles, everyone).');
    }
  }
  for (const kind of ['users', 'roles'] as const) {
    if (am[kind] == null) continue;
    arrayMax(errs, [...path, kind], am[kind], 100);
    if (parse.includes(kind)) {
      errs.add(
        [...path, 'parse'],
        'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
      );
    }
  }
}

/** Validates a message create/edit body (or interaction callback `data`, with `prefix` ['data']). */
export function validateMessageBody(body: Record<string, Json>, prefix: Path = []): FormErrors {
  const errs = new FormErrors();
  maxLength(errs, [...prefix, 'content'], body.content, 2000);
  validateEmbeds(errs, [...prefix, 'embeds'], body.embeds);
  const v2 = typeof body.flags === 'number' && (body.flags & (1 << 15)) !== 0;
  if (v2 && (len(body.content) > 0 || (Array.isArray(body.embeds) && body.embeds.length > 0))) {
    errs.add(
      [...prefix, 'content'],
      'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
      "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
    );
  }
  validateComponents(errs, [...prefix, 'components'], body.components, v2);
  validateAllowedMentions(errs, [...prefix, 'allowed_mentions'], body.allowed_mentions);
  return errs;
}

/** Autocomplete result (callback type 8): at most 25 choices, name 1–100, string value ≤ 100. */
export function validateChoices(data: unknown): FormErrors {
  const errs = new FormErrors();
  const choices = isRecord(data) ? data.choices : undefined;
  if (!arrayMax(errs, ['data', 'choices'], choices ?? [], 25)) return errs;
  for (const [i, choice] of (choices as unknown[]).entries()) {
    const p = ['data', 'choices', i];
    if (!isRecord(choice)) continue;
    const n = len(choice.name);
    if (typeof choice.name !== 'string' || n < 1 || n > 100) {
      errs.add([...p, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    if (typeof choice.value === 'string') maxLength(errs, [...p, 'value'], choice.value, 100);
    else if (typeof choice.value !== 'number') required(errs, [...p, 'value'], undefined);
  }
  return errs;
}
