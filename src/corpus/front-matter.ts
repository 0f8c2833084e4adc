import { parseDocument } from 'yaml';
import { describeError } from '../errors.js';

/**
 * Front matter of a Markdown article, read as data and nothing else.
 *
 * Why not gray-matter: its default engines include JavaScript, so a file opening with `---js` is
 * evaluated during ingest (anything that can drop a file in the corpus would run code as the bot). Here
 * the block is split off by hand and parsed with the YAML 1.2 core schema: plain scalars, maps and lists
 * only. A block that names any other language is refused by name, a tag that would build an object
 * (`!!js/function`, `!!binary`, custom tags) is refused, aliases are bounded (no "billion laughs"), and
 * dates stay strings (the core schema has no timestamps), so `2024-02-30` is checked by `toIsoDate`
 * instead of silently rolling over to March, and an offset date keeps its own calendar day.
 */
export type FrontMatter =
  | { ok: true; data: Record<string, unknown>; content: string }
  | { ok: false; reason: string };

const OPENING = /^---[ \t]*([A-Za-z][\w+-]*)?[ \t]*$/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/;
const MAX_ALIASES = 50;

export function splitFrontMatter(text: string): FrontMatter {
  const source = text.replace(/^\uFEFF/, '');
  const lines = source.split(/\r?\n/);
  const opening = OPENING.exec(lines[0] ?? '');
  if (!opening) return { ok: true, data: {}, content: source };
  const language = opening[1]?.toLowerCase();
  if (language && language !== 'yaml' && language !== 'yml') {
    return {
      ok: false,
      reason: `front matter in "${opening[1]}" is refused: only YAML front matter is read, and nothing in an article is ever run`,
    };
  }
  const close = lines.findIndex((line, i) => i > 0 && CLOSING.test(line));
  if (close === -1)
    return { ok: false, reason: 'front matter opened with --- on the first line is never closed' };
  const yamlText = lines.slice(1, close).join('\n');
  const content = lines.slice(close + 1).join('\n');
  const parsed = parseYaml(yamlText);
  return parsed.ok ? { ok: true, data: parsed.data, content } : parsed;
}

function parseYaml(
  text: string,
): { ok: true; data: Record<string, unknown> } | { ok: false; reason: string } {
  if (text.trim() === '') return { ok: true, data: {} };
  const doc = parseDocument(text, {
    schema: 'core',
    customTags: [],
    merge: false,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const problem = doc.errors[0];
  if (problem) return { ok: false, reason: `malformed front matter: ${firstLine(problem.message)}` };
  const tag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (tag)
    return { ok: false, reason: `front matter uses a YAML tag that is refused: ${firstLine(tag.message)}` };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    return { ok: false, reason: `malformed front matter: ${firstLine(describeError(error))}` };
  }
  if (value === null || value === undefined) return { ok: true, data: {} };
  if (typeof value !== 'object' || Array.isArray(value))
    return { ok: false, reason: 'malformed front matter: it must be a list of `key: value` lines' };
  return { ok: true, data: value as Record<string, unknown> };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
