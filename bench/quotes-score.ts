import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractQuotes } from '../src/quotes/extract.js';
import { sameSpeaker } from '../src/quotes/speaker-match.js';

/** Scores the extractor on a labelled file (dev helper; bench/quotes.ts is the bench). */
const labels = process.argv[2] ?? '../shared/questions/quotes-train.jsonl';
const corpora = process.argv[3] ?? '/work/corpora';
const verbose = process.argv.includes('-v');
const rows = readFileSync(labels, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const files = [...new Set(rows.map((r) => r.file as string))];
const articles = readFileSync('/work/shared/questions/quotes-train-articles.txt', 'utf8')
  .split('\n')
  .filter(Boolean);
let tp = 0,
  fp = 0,
  fn = 0,
  spkRight = 0,
  spkNamed = 0;
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
for (const file of new Set([...files, ...articles])) {
  const raw = readFileSync(path.join(corpora, file), 'utf8');
  const body = raw.slice(raw.indexOf('\n\n') + 2);
  const got = extractQuotes(body).map((q) => ({ ...q, quote: norm(body.slice(q.start, q.end)) }));
  const want = rows.filter((r) => r.file === file);
  const used = new Set<number>();
  for (const w of want) {
    const i = got.findIndex((g, k) => !used.has(k) && g.quote === norm(w.quote));
    if (i < 0) {
      fn++;
      if (verbose) console.log(`MISS ${file} [${w.speaker}] ${w.quote.slice(0, 80)}`);
      continue;
    }
    used.add(i);
    tp++;
    const g = got[i]!;
    if (w.named) {
      spkNamed++;
      if (g.speaker && sameSpeaker(g.speaker, w.speaker)) spkRight++;
      else if (verbose)
        console.log(
          `SPK  ${file} want=${w.speaker} got=${g.speaker} (${g.speakerText}/${g.cue}) ${w.quote.slice(0, 50)}`,
        );
    } else if (verbose && g.speaker !== w.speaker)
      console.log(`ROLE ${file} want=${w.speaker} got=${g.speaker} ${w.quote.slice(0, 40)}`);
  }
  got.forEach((g, k) => {
    if (!used.has(k) && !want.some((w) => norm(w.quote) === g.quote)) {
      fp++;
      if (verbose) console.log(`FP   ${file} [${g.speaker}] ${g.quote.slice(0, 80)}`);
    }
  });
}
console.log(
  `precision ${((tp / (tp + fp)) * 100).toFixed(1)} recall ${((tp / (tp + fn)) * 100).toFixed(1)} speaker ${((spkRight / spkNamed) * 100).toFixed(1)} (tp ${tp} fp ${fp} fn ${fn} named ${spkNamed})`,
);
