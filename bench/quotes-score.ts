import { speakerKey } from '../src/quotes/speaker-match.js';

/**
 * Scoring of quotation extraction and speaker queries against hand labels (bench/quotes.ts runs it).
 * A label is keyed by its article and its text (whitespace collapsed): one label covers a text quoted
 * twice in an article, so predictions are compared as distinct texts per article too.
 */

export interface Label {
  file: string;
  quote: string;
  speaker: string | null;
  /** True when `speaker` is a name (a person or an organisation), false for a role or null. */
  named: boolean;
  cue?: string | null;
}

export interface Predicted {
  file: string;
  quote: string;
  speaker: string | null;
}

export const norm = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The same speaker: the same words once case, accents, courtesy titles and a leading article are set aside. */
export function sameName(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return speakerKey(a).join(' ') === speakerKey(b).join(' ');
}

export interface ExtractionScore {
  labels: number;
  predicted: number;
  matched: number;
  precision: number;
  recall: number;
  /** Matched labels with a named speaker, and how many of them got that speaker. */
  named: number;
  speakerRight: number;
  speakerAccuracy: number;
  /** Matched labels whose speaker is a role or null, and how many got exactly that (or null for a role). */
  misses: Label[];
  extra: Predicted[];
  wrongSpeaker: Array<{ label: Label; got: string | null }>;
}

export function scoreExtraction(labels: Label[], predicted: Predicted[], files: string[]): ExtractionScore {
  const key = (file: string, quote: string) => `${file}\u0000${norm(quote)}`;
  const byKey = new Map<string, Predicted>();
  for (const p of predicted)
    if (files.includes(p.file) && !byKey.has(key(p.file, p.quote))) byKey.set(key(p.file, p.quote), p);
  const labelled = new Map(labels.map((l) => [key(l.file, l.quote), l]));
  let matched = 0;
  let named = 0;
  let speakerRight = 0;
  const misses: Label[] = [];
  const wrongSpeaker: Array<{ label: Label; got: string | null }> = [];
  for (const label of labelled.values()) {
    const got = byKey.get(key(label.file, label.quote));
    if (!got) {
      misses.push(label);
      continue;
    }
    matched++;
    if (label.named) {
      named++;
      if (sameName(got.speaker, label.speaker)) speakerRight++;
      else wrongSpeaker.push({ label, got: got.speaker });
    }
  }
  const extra = [...byKey.entries()].filter(([k]) => !labelled.has(k)).map(([, p]) => p);
  return {
    labels: labelled.size,
    predicted: byKey.size,
    matched,
    precision: byKey.size === 0 ? 1 : matched / byKey.size,
    recall: labelled.size === 0 ? 1 : matched / labelled.size,
    named,
    speakerRight,
    speakerAccuracy: named === 0 ? 1 : speakerRight / named,
    misses,
    extra,
    wrongSpeaker,
  };
}

export interface SpeakerQuery {
  speaker: string;
  about?: string;
  /** The quotations that must come back (file and text); empty for someone never quoted or absent. */
  expected: Array<{ file: string; quote: string }>;
}

/**
 * A query is right when every expected quotation comes back and nothing else does that the labels give to
 * another speaker or do not list at all (a scare quote returned as someone's words is wrong too).
 */
export function queryRight(
  query: SpeakerQuery,
  results: Array<{ file: string; quote: string }>,
  labels: Label[],
): { right: boolean; missing: number; wrong: number } {
  const got = new Set(results.map((r) => `${r.file}\u0000${norm(r.quote)}`));
  const missing = query.expected.filter((e) => !got.has(`${e.file}\u0000${norm(e.quote)}`)).length;
  const expected = new Set(query.expected.map((e) => `${e.file}\u0000${norm(e.quote)}`));
  const keyOf = (l: { file: string; quote: string }) => `${l.file}\u0000${norm(l.quote)}`;
  const speakers = labels.filter((l) => expected.has(keyOf(l))).map((l) => l.speaker);
  const wrong = [...got]
    .filter((k) => !expected.has(k))
    .filter((k) => {
      const label = labels.find((l) => keyOf(l) === k);
      return !label || !speakers.some((s) => sameName(s, label.speaker));
    }).length;
  return { right: missing === 0 && wrong === 0, missing, wrong };
}
