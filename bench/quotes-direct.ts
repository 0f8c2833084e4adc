/**
 * The extractor alone (no index, no CLI) on the dev labels, for quick iterations: `tsx bench/quotes-direct.ts [-v]`.
 * bench/quotes.ts gives the figures that count.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractQuotes } from '../src/quotes/extract.js';
import { type Label, scoreExtraction } from './quotes-score.js';

const dir = '../shared/questions';
const labels = readFileSync(path.join(dir, 'quotes-train.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Label);
const files = readFileSync(path.join(dir, 'quotes-train-articles.txt'), 'utf8').split('\n').filter(Boolean);
const predicted = files.flatMap((file) => {
  const raw = readFileSync(path.join('../shared/corpora', file), 'utf8');
  const body = raw.slice(raw.indexOf('\n\n') + 2);
  return extractQuotes(body).map((q) => ({ file, quote: body.slice(q.start, q.end), speaker: q.speaker }));
});
const s = scoreExtraction(labels, predicted, files);
console.log(
  `precision ${(100 * s.precision).toFixed(1)} recall ${(100 * s.recall).toFixed(1)} speaker ${(100 * s.speakerAccuracy).toFixed(1)} (${s.speakerRight}/${s.named})`,
);
if (process.argv.includes('-v')) {
  for (const m of s.misses) console.log(`missed  ${m.file} [${m.speaker}] ${m.quote.slice(0, 70)}`);
  for (const e of s.extra) console.log(`extra   ${e.file} [${e.speaker}] ${e.quote.slice(0, 70)}`);
  for (const w of s.wrongSpeaker)
    console.log(
      `speaker ${w.label.file} want ${w.label.speaker} got ${w.got}: ${w.label.quote.slice(0, 50)}`,
    );
}
