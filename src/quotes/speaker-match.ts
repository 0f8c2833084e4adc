import { TITLES } from './words.js';

/**
 * Matching a speaker as a reporter types it ("blair", "Tony Blair", "Mr Blair", "the bba") against the
 * speakers the archive holds. Case, accents, courtesy titles and a leading article are ignored; one name
 * matches another when all its words are among the other's in order and its last word is the other's
 * last word (a surname alone finds the full name), or it is the other's whole first word sequence.
 */

export function speakerKey(name: string): string[] {
  const words = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  while (words.length > 1 && (TITLES.has(words[0] as string) || words[0] === 'the')) words.shift();
  return words;
}

/** Whether what a reporter typed names this stored speaker. */
export function matchesSpeaker(query: string, speaker: string): boolean {
  const q = speakerKey(query);
  const s = speakerKey(speaker);
  if (q.length === 0 || s.length === 0) return false;
  if (q.join(' ') === s.join(' ')) return true;
  if (q.length > s.length) return false;
  // All of the query's words, in order, ending at the speaker's last word: "blair", "tony blair", "george bush" for "george w bush".
  if (q.at(-1) !== s.at(-1)) return false;
  let i = 0;
  for (const w of s) if (w === q[i]) i++;
  return i === q.length && (q.length > 1 || s.length <= 4);
}

/** Whether two stored speaker names are the same person (for scoring and merging). */
export function sameSpeaker(a: string, b: string): boolean {
  return matchesSpeaker(a, b) && matchesSpeaker(b, a)
    ? true
    : speakerKey(a).join(' ') === speakerKey(b).join(' ');
}
