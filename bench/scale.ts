/**
 * `npm run bench:scale`: the index at 10k, 100k and 1M passages, for each backend. The corpus is the BBC
 * archive (../shared/corpora/bbc; the shipped corpus when absent) replicated with new titles until it holds
 * the passages asked for; the model is cheap (use-static-128, 128 dimensions) so that storage, not
 * embedding, is measured. For each backend and size: full build and upkeep (merges, ANN index), start-up to
 * the first answer and question p50/p95 in a fresh process with its RSS, the index work to make one new
 * article searchable, one change, one removal, bytes written by the one-article update, and disk size.
 * Last stdout line: JSON.
 *
 * BENCH_SCALE_SIZES (default 10000,100000,1000000), BENCH_SCALE_BACKENDS (default vectra,lancedb),
 * BENCH_SCALE_MODEL (default ../shared/models/use-static-128, else test/models/use-static-128),
 * BENCH_SCALE_DIR (work folder; default a temporary one, removed at the end), BENCH_SCALE_REUSE=1 (with
 * BENCH_SCALE_DIR: measure the index a previous run left there instead of building it again).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Embedder } from '../src/embedding/embedder.js';
import { type IngestOptions, ingest } from '../src/ingest/ingest.js';
import { maintainIndex } from '../src/ingest/maintain.js';
import { silentLogger } from '../src/logger.js';
import { SearchService } from '../src/search/search-service.js';
import { type BackendName, readManifest } from '../src/store/manifest.js';

const sizes = (process.env.BENCH_SCALE_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const backends = (process.env.BENCH_SCALE_BACKENDS ?? 'vectra,lancedb').split(',') as BackendName[];
const sharedModel = path.resolve('../shared/models/use-static-128');
const model =
  process.env.BENCH_SCALE_MODEL ??
  (existsSync(sharedModel) ? sharedModel : path.resolve('test/models/use-static-128'));
const bbc = path.resolve('../shared/corpora/bbc');
const source = existsSync(bbc) ? bbc : path.resolve('corpus');
const keep = Boolean(process.env.BENCH_SCALE_DIR);
const work = process.env.BENCH_SCALE_DIR ?? (await mkdtemp(path.join(os.tmpdir(), 'clipdesk-scale-')));
const log = silentLogger();
const say = (text: string) => process.stderr.write(`${text}\n`);

interface Original {
  file: string;
  title: string;
  body: string;
}

/** The source articles as title + body (first line, then the rest), decoded leniently. */
async function originals(): Promise<Original[]> {
  const out: Original[] = [];
  for (const entry of await readdir(source, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.txt') || entry.name === 'README.TXT') continue;
    const text = (await readFile(path.join(entry.parentPath, entry.name), 'latin1')).replace(/\r\n?/g, '\n');
    const [title, ...rest] = text.split('\n');
    const file = path.relative(source, path.join(entry.parentPath, entry.name));
    if (title?.trim() && rest.join('\n').trim())
      out.push({ file, title: title.trim(), body: rest.join('\n').trim() });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Writes `count` articles: copy k of an original keeps its body and gets a new title. */
async function generate(dir: string, all: Original[], count: number): Promise<void> {
  if (existsSync(path.join(dir, '.complete'))) return;
  await rm(dir, { recursive: true, force: true });
  for (let i = 0; i < count; i++) {
    const copy = Math.floor(i / all.length);
    const original = all[i % all.length] as Original;
    const file = path.join(dir, `copy-${String(copy).padStart(3, '0')}`, original.file);
    await mkdir(path.dirname(file), { recursive: true });
    const title = copy === 0 ? original.title : `${original.title} (edition ${copy + 1})`;
    await writeFile(file, `${title}\n\n${original.body}\n`);
  }
  await writeFile(path.join(dir, '.complete'), '');
}

async function diskSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  return total;
}

/** Files under `dir` by path: inode (a new one when a file is replaced), size and modification time. */
async function identities(dir: string): Promise<Map<string, { ino: number; size: number; mtimeMs: number }>> {
  const out = new Map<string, { ino: number; size: number; mtimeMs: number }>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const { ino, size, mtimeMs } = await stat(file);
    out.set(path.relative(dir, file), { ino, size, mtimeMs });
  }
  return out;
}

function probe(indexDir: string, questions: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/scale-probe.ts', indexDir, model], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}'))
        : reject(new Error(`probe exited ${code}`)),
    );
    child.stdin.end(`${questions.join('\n')}\n`);
  });
}

const seconds = (ms: number) => Math.round(ms / 10) / 100;

const all = await originals();
const fixture = JSON.parse(await readFile('test/fixtures/questions.json', 'utf8')) as {
  onTopic: Array<{ q: string }>;
};
const questions = [
  ...all.filter((_, i) => i % 23 === 0).map((a) => `What happened: ${a.title}?`),
  ...fixture.onTopic.map((x) => x.q),
].slice(0, 150);
const embedder = await Embedder.load({ model, dtype: 'q8', cacheDir: path.resolve('.clipdesk/models') });
say(`model ${path.basename(model)} (${embedder.info.dimension} dimensions); corpus ${source}; work ${work}`);

// Passages per article of the source, measured on a small sample, to size the generated corpora.
const sampleDir = path.join(work, 'sample');
await generate(sampleDir, all, Math.min(300, all.length));
const sample = await ingest({
  corpusDir: sampleDir,
  indexDir: path.join(work, 'sample-index'),
  maxFileBytes: 20 << 20,
  embedder,
  log,
  maintenance: 'skip',
});
const perArticle = sample.summary.passages / sample.summary.articles;

const rows: Array<Record<string, number | string>> = [];
try {
  for (const size of sizes) {
    const articles = Math.ceil(size / perArticle);
    const corpusDir = path.join(work, `corpus-${size}`);
    let t = performance.now();
    await generate(corpusDir, all, articles);
    say(`\n${size} passages: ${articles} articles generated in ${seconds(performance.now() - t)} s`);
    for (const backend of backends) {
      const indexDir = path.join(work, `index-${backend}-${size}`);
      if (process.env.BENCH_SCALE_REUSE !== '1') await rm(indexDir, { recursive: true, force: true });
      const timedIngest = async (extra: Partial<IngestOptions> = {}) => {
        const started = performance.now();
        const result = await ingest({
          corpusDir,
          indexDir,
          maxFileBytes: 20 << 20,
          embedder,
          log,
          backend,
          maintenance: 'skip',
          ...extra,
        });
        return { result, s: seconds(performance.now() - started) };
      };
      const row: Record<string, number | string> = {
        backend,
        target_passages: size,
        dimension: embedder.info.dimension,
      };
      // Full build, then its upkeep (BENCH_SCALE_REUSE=1 measures an index a previous run left instead).
      const reused = process.env.BENCH_SCALE_REUSE === '1' ? await readManifest(indexDir) : null;
      if (reused?.kind === 'ok') {
        row.build_s = 'reused';
        row.articles = reused.manifest.counts.articles;
        row.passages = reused.manifest.counts.passages;
      } else {
        const built = await timedIngest();
        row.build_s = built.s;
        row.articles = built.result.summary.articles;
        row.passages = built.result.summary.passages;
      }
      t = performance.now();
      const upkeep = await maintainIndex(indexDir, { log });
      row.upkeep_s = seconds(performance.now() - t);
      row.merges = upkeep.merges;
      say(
        `  ${backend}: built ${row.passages} passages in ${row.build_s} s, upkeep ${row.upkeep_s} s (${upkeep.merges} merges${upkeep.backend ? ', vector index' : ''})`,
      );

      const probed = await probe(indexDir, questions);
      Object.assign(row, {
        model_load_ms: probed.model_load_ms,
        open_ms: probed.open_ms,
        ready_ms: probed.ready_ms,
        p50_ms: probed.p50_ms,
        p95_ms: probed.p95_ms,
        rss_mb: probed.rss_mb,
      });
      say(
        `  ${backend}: open ${probed.open_ms} ms, first answer ${probed.first_answer_ms} ms, p50 ${probed.p50_ms} ms, p95 ${probed.p95_ms} ms, rss ${probed.rss_mb} MB`,
      );

      // One new article made searchable, as feeds, /add and the watched folder do it (the ingest is told
      // which file changed), then the open reader's refresh; and the bytes that wrote.
      const search = await SearchService.open({ indexDir, embedder, log });
      const newDir = path.join(corpusDir, 'new');
      const fresh = path.join(newDir, 'one-new-article.txt');
      await mkdir(newDir, { recursive: true });
      await writeFile(
        fresh,
        'Lighthouse keepers return to Skerryvore\n\nKeepers returned to the Skerryvore lighthouse on Monday after an absence of forty years, the board said.\n',
      );
      // The first ingest of a process reads every catalog and the first-seen log (a CLI run); the bot
      // keeps them, so its later ingests, one per feed item or upload, are the warm figure.
      row.add_cold_s = (await timedIngest({ changed: [fresh] })).s;
      await search.refresh();
      const second = path.join(newDir, 'second-new-article.txt');
      await writeFile(
        second,
        'Ferry crews strike at Oban\n\nFerry crews at Oban walked out on Thursday over a dispute about rosters, the union said.\n',
      );
      const before = await identities(indexDir);
      row.add_ingest_s = (await timedIngest({ changed: [second] })).s;
      t = performance.now();
      await search.refresh();
      row.add_refresh_s = seconds(performance.now() - t);
      const found = await search.search('Why did ferry crews at Oban walk out?', { limit: 1 });
      row.add_found = found.results[0]?.source === 'new/second-new-article.txt' ? 'yes' : 'NO';
      const after = await identities(indexDir);
      let written = 0;
      let rewritten = 0;
      for (const [file, now] of after) {
        const old = before.get(file);
        if (old && old.ino === now.ino && old.size === now.size && old.mtimeMs === now.mtimeMs) continue;
        // A file appended to in place (the first-seen log) wrote its growth; a new or replaced file, all of it.
        written += old && old.ino === now.ino ? Math.max(0, now.size - old.size) : now.size;
        if (old && file.includes('seg-')) rewritten++;
      }
      row.add_bytes_written = written;
      row.add_existing_segment_files_rewritten = rewritten;
      // The same without being told: the whole corpus read against the index (npm run ingest, /reindex).
      const another = path.join(newDir, 'another.txt');
      await writeFile(
        another,
        'Harbour ferry resumes\n\nThe ferry resumed its winter timetable on Tuesday.\n',
      );
      row.add_full_scan_s = (await timedIngest()).s;
      say(
        `  ${backend}: one new article: ingest ${row.add_ingest_s} s (first in the process ${row.add_cold_s} s), refresh ${row.add_refresh_s} s, found ${row.add_found}, ${written} bytes written; with a full scan ${row.add_full_scan_s} s`,
      );

      // One change and one removal, each named as the watched folder would name it.
      const victim = path.join(corpusDir, 'copy-000', all[0]?.file ?? '');
      await appendFile(victim, 'A correction was added to this article later.\n');
      row.change_s = (await timedIngest({ changed: [victim] })).s;
      await rm(fresh);
      row.remove_s = (await timedIngest({ changed: [fresh] })).s;
      await rm(second);
      await writeFile(
        victim,
        (await readFile(victim, 'utf8')).replace('A correction was added to this article later.\n', ''),
      );
      await rm(newDir, { recursive: true, force: true });
      await timedIngest();
      await search.close();
      row.disk_mb = Math.round((await diskSize(indexDir)) / 1024 / 1024);
      say(`  ${backend}: change ${row.change_s} s, removal ${row.remove_s} s, disk ${row.disk_mb} MB`);
      rows.push(row);
      if (!keep) await rm(indexDir, { recursive: true, force: true });
    }
  }
} finally {
  await embedder.dispose();
  if (!keep) await rm(work, { recursive: true, force: true });
}

const columns = [
  'backend',
  'passages',
  'articles',
  'build_s',
  'upkeep_s',
  'ready_ms',
  'p50_ms',
  'p95_ms',
  'rss_mb',
  'add_ingest_s',
  'add_cold_s',
  'add_refresh_s',
  'add_full_scan_s',
  'add_bytes_written',
  'change_s',
  'remove_s',
  'disk_mb',
];
console.log(`| ${columns.join(' | ')} |`);
console.log(`| ${columns.map(() => '---').join(' | ')} |`);
for (const row of rows) console.log(`| ${columns.map((c) => String(row[c] ?? '')).join(' | ')} |`);
console.log(JSON.stringify({ model: path.basename(model), dimension: embedder.info.dimension, rows }));
