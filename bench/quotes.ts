/**
 * bench:quotes: quotation extraction and speaker queries scored against hand labels, through the real
 * `npm run quotes -- --json` contract (a child process fed JSON lines on stdin, as an outside check runs it).
 *
 *   held-out  bench/quotes/ (labels.jsonl, queries.jsonl): 45 articles of three archives, labelled blind
 *             to the extractor by another session; never tuned on.
 *   dev       ../shared/questions/quotes-train.jsonl (40 BBC articles), when that folder is present; the
 *             set the extractor was developed against. Its queries are made from its labels: each named
 *             speaker of an article, by surname in lower case, within that article, and two absent names.
 *
 * One index holds all three archives (BBC 2,225 articles, the five shipped ones, Reuters 2,300), kept in
 * .clipdesk/bench-quotes and brought up to date by the CLI itself. Also prints the extraction cost per
 * 1,000 articles (the BBC archive's bodies, in this process). Model: EMBEDDING_MODEL, default
 * test/models/use-static-128.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { extractQuotes } from '../src/quotes/extract.js';
import { isOrganisation } from '../src/quotes/names.js';
import {
  type Label,
  type Predicted,
  queryRight,
  type SpeakerQuery,
  scoreExtraction,
} from './quotes-score.js';

const ROOTS: Array<{ prefix: string; from: string }> = [
  { prefix: 'bbc/', from: process.env.QUOTES_BBC ?? '../shared/corpora/bbc' },
  { prefix: 'corpus/', from: process.env.QUOTES_SHIPPED ?? '../shared/corpus' },
  { prefix: 'wire/reuters/', from: process.env.QUOTES_REUTERS ?? '../corpora/wire/reuters' },
];
const WORK = path.resolve('.clipdesk/bench-quotes');
const CORPUS = path.join(WORK, 'corpus');
const verbose = process.argv.includes('--verbose');

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

async function readJsonl<T>(file: string): Promise<T[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** The three archives copied into one corpus folder (links out of CORPUS_DIR are refused by design). */
async function buildCorpus(): Promise<string[]> {
  const present: string[] = [];
  for (const { prefix, from } of ROOTS) {
    if (!(await exists(from))) {
      process.stderr.write(`(${from} not found: ${prefix} articles left out)\n`);
      continue;
    }
    const to = path.join(CORPUS, prefix);
    if (!(await exists(to))) {
      await mkdir(to, { recursive: true });
      await cp(from, to, { recursive: true, filter: (src) => !path.basename(src).startsWith('.') });
    }
    present.push(prefix);
  }
  return present;
}

/** Runs the CLI once with these query lines; one parsed JSON line back per query. */
async function runQuotes(lines: object[]): Promise<Array<{ results: Predicted[]; error?: string }>> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/quotes.ts', '--json'], {
    env: {
      ...process.env,
      CORPUS_DIR: CORPUS,
      INDEX_DIR: path.join(WORK, 'index'),
      EMBEDDING_MODEL: process.env.EMBEDDING_MODEL ?? 'test/models/use-static-128',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stdin.end(`${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`npm run quotes exited with ${code}`);
  const parsed = out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { results: Predicted[]; error?: string });
  if (parsed.length !== lines.length) throw new Error(`${lines.length} queries but ${parsed.length} answers`);
  return parsed;
}

interface HeldOutQuery {
  id: string;
  kind: string;
  speaker: string;
  about?: string;
  file?: string;
  expected: Array<{ file: string; quote: string }>;
}

async function scoreSet(
  name: string,
  labels: Label[],
  files: string[],
  queries: HeldOutQuery[],
): Promise<void> {
  const fileLines = files.map((file) => ({ file }));
  const queryLines = queries.map((q) => ({
    speaker: q.speaker,
    ...(q.about ? { about: q.about } : {}),
    ...(q.file ? { file: q.file } : {}),
  }));
  const answers = await runQuotes([...fileLines, ...queryLines]);
  const predicted = answers.slice(0, files.length).flatMap((a, i) => {
    if (a.error) process.stderr.write(`${files[i]}: ${a.error}\n`);
    return a.results.map((r) => ({ ...r, file: files[i] as string }));
  });
  const s = scoreExtraction(labels, predicted, files);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(`\n${name}: ${files.length} articles, ${s.labels} labelled quotations`);
  console.log(
    `  precision ${pct(s.precision)} (${s.matched}/${s.predicted})   recall ${pct(s.recall)} (${s.matched}/${s.labels})`,
  );
  console.log(
    `  speaker right ${pct(s.speakerAccuracy)} (${s.speakerRight}/${s.named} with a named speaker)`,
  );
  let right = 0;
  const byKind = new Map<string, [number, number]>();
  answers.slice(files.length).forEach((a, i) => {
    const q = queries[i] as HeldOutQuery;
    const r = queryRight(q as SpeakerQuery, a.results, labels);
    if (r.right) right++;
    const k = byKind.get(q.kind) ?? [0, 0];
    byKind.set(q.kind, [k[0] + (r.right ? 1 : 0), k[1] + 1]);
    if (verbose && !r.right)
      console.log(
        `    query ${q.id} ${JSON.stringify(queryLines[i])}: ${r.missing} missing, ${r.wrong} wrong`,
      );
  });
  const kinds = [...byKind].map(([k, [ok, n]]) => `${k} ${ok}/${n}`).join(', ');
  console.log(`  queries right ${right}/${queries.length} (${kinds})`);
  if (verbose) {
    for (const m of s.misses) console.log(`    missed ${m.file} [${m.speaker}] ${m.quote.slice(0, 70)}`);
    for (const e of s.extra) console.log(`    extra  ${e.file} [${e.speaker}] ${e.quote.slice(0, 70)}`);
    for (const w of s.wrongSpeaker)
      console.log(
        `    speaker ${w.label.file} want ${w.label.speaker} got ${w.got}: ${w.label.quote.slice(0, 50)}`,
      );
  }
}

/** Dev queries from the training labels: each (article, named speaker) by lower-case surname, in that article. */
function devQueries(labels: Label[], files: string[]): HeldOutQuery[] {
  const queries: HeldOutQuery[] = [];
  const seen = new Set<string>();
  for (const l of labels) {
    if (!l.named || !l.speaker || seen.has(`${l.file}\u0000${l.speaker}`)) continue;
    seen.add(`${l.file}\u0000${l.speaker}`);
    const surname = l.speaker.split(' ').at(-1)?.toLowerCase() ?? l.speaker;
    const person = /^\p{Lu}\p{Ll}+ \p{Lu}/u.test(l.speaker) && !isOrganisation(l.speaker.split(' '));
    queries.push({
      id: `d${queries.length + 1}`,
      kind: 'quoted-scoped',
      speaker: person ? surname : l.speaker,
      file: l.file,
      expected: labels.filter((x) => x.file === l.file && x.speaker === l.speaker),
    });
  }
  for (const [i, name] of ['Ottoline Quibble', 'Marek Zawadzki'].entries())
    queries.push({ id: `a${i + 1}`, kind: 'absent', speaker: name, file: files[i] as string, expected: [] });
  return queries;
}

/** Extraction alone over the BBC archive's bodies: milliseconds per 1,000 articles (median of 3 runs). */
async function extractionCost(): Promise<void> {
  const root = path.join(CORPUS, 'bbc');
  if (!(await exists(root))) return;
  const bodies: string[] = [];
  for (const section of await readdir(root)) {
    if (!(await stat(path.join(root, section))).isDirectory()) continue;
    for (const f of await readdir(path.join(root, section))) {
      const text = await readFile(path.join(root, section, f), 'utf8');
      bodies.push(text.slice(text.indexOf('\n\n') + 2));
    }
  }
  const runs: number[] = [];
  let quotes = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    quotes = 0;
    for (const body of bodies) quotes += extractQuotes(body).length;
    runs.push(performance.now() - t0);
  }
  const median = runs.sort((a, b) => a - b)[1] as number;
  console.log(
    `\nextraction cost: ${((median / bodies.length) * 1000).toFixed(0)} ms per 1,000 articles (BBC, ${bodies.length} articles, ${quotes} quotations, median of 3 runs)`,
  );
}

/**
 * The kept index is dropped when the extractor's source changed since it was built: its stored quotations
 * would be an older extractor's (QUOTES_VERSION is bumped for releases, not for every edit).
 */
async function dropStaleIndex(): Promise<void> {
  const dir = 'src/quotes';
  const hash = createHash('sha256');
  for (const f of (await readdir(dir)).sort()) hash.update(f).update(await readFile(path.join(dir, f)));
  const digest = hash.digest('hex');
  const stamp = path.join(WORK, 'extractor.sha256');
  const previous = await readFile(stamp, 'utf8').catch(() => '');
  if (previous !== digest) {
    await rm(path.join(WORK, 'index'), { recursive: true, force: true });
    await writeFile(stamp, digest);
  }
}

async function main(): Promise<void> {
  await mkdir(WORK, { recursive: true });
  await dropStaleIndex();
  const present = await buildCorpus();
  const heldOut = 'bench/quotes';
  if (await exists(path.join(heldOut, 'labels.jsonl'))) {
    const labels = (await readJsonl<Label>(path.join(heldOut, 'labels.jsonl'))).filter((l) =>
      present.some((p) => l.file.startsWith(p)),
    );
    const files = (await readFile(path.join(heldOut, 'articles.txt'), 'utf8'))
      .split('\n')
      .filter((f) => f.trim() !== '' && present.some((p) => f.startsWith(p)));
    const queries = await readJsonl<HeldOutQuery>(path.join(heldOut, 'queries.jsonl'));
    await scoreSet('held-out (bench/quotes, never tuned on)', labels, files, queries);
  }
  const train = '../shared/questions/quotes-train.jsonl';
  if (await exists(train)) {
    const labels = await readJsonl<Label>(train);
    const files = (await readFile('../shared/questions/quotes-train-articles.txt', 'utf8'))
      .split('\n')
      .filter(Boolean);
    await scoreSet('dev (quotes-train, developed against)', labels, files, devQueries(labels, files));
  }
  await extractionCost();
}

await main();
