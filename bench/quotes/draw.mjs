// Seeded draw of the evaluation articles. Usage: node draw.mjs
// BBC: per section (business, entertainment, politics, sport, tech), NNN.txt in name order;
// drop train articles (quotes-train-articles.txt + files in quotes-train-excluded.jsonl), files whose
// title or body equals a train article's, files whose title or body equals ANY other file's in the archive
// (duplicated stories), files that are not valid UTF-8 (sport/199.txt), and files with no double quote mark.
// Shuffle with Fisher-Yates driven by mulberry32(SEED + sectionIndex), take the first 6 (7 for business and
// entertainment: these two fill the slots of the two shipped articles that have no double quote mark).
// Shipped five: keep those with >= 1 double quote mark (all of them that qualify, at most 5).
// Wire (reuters): *.md files in name order (recursive), >=1 double quote mark, shuffled with
// mulberry32(SEED + 100), first 10 whose front-matter title is not repeated (marks counted in the body
// only, after the YAML front matter, whose title: "..." line always has marks).
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
const SEED = 20261207;
const Q = '/work/shared/questions';
const BBC = '/work/shared/corpora/bbc';
const SHIP = '/work/shared/corpus';
const WIRE = '/work/corpora/wire/reuters';
const SECTIONS = ['business', 'entertainment', 'politics', 'sport', 'tech'];
function mulberry32(a) { return () => { a |= 0; a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
const shuffle = (arr, rnd) => { for (let i = arr.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [arr[i], arr[j]] = [arr[j], arr[i]]; } return arr; };
const norm = (s) => s.replace(/\s+/g, ' ').trim();
const marks = (s) => (s.match(/["\u201c\u201d\u00ab\u00bb\u201e]/g) ?? []).length;
const valid = (buf) => { try { new TextDecoder('utf-8', { fatal: true }).decode(buf); return true; } catch { return false; } };
const train = new Set(readFileSync(join(Q, 'quotes-train-articles.txt'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean));
for (const l of readFileSync(join(Q, 'quotes-train-excluded.jsonl'), 'utf8').split('\n').filter(Boolean)) train.add(JSON.parse(l).file);
const all = [];
for (const s of SECTIONS) for (const f of readdirSync(join(BBC, s)).filter((f) => /^\d{3}\.txt$/.test(f)).sort()) {
  const buf = readFileSync(join(BBC, s, f)); const t = buf.toString('latin1');
  all.push({ rel: `bbc/${s}/${f}`, s, buf, title: norm(t.split('\n')[0]), body: norm(t.split('\n').slice(1).join('\n')), t });
}
const titleCount = new Map(), bodyCount = new Map();
for (const a of all) { titleCount.set(a.title, (titleCount.get(a.title) ?? 0) + 1); bodyCount.set(a.body, (bodyCount.get(a.body) ?? 0) + 1); }
const trainT = new Set(all.filter((a) => train.has(a.rel)).map((a) => a.title));
const trainB = new Set(all.filter((a) => train.has(a.rel)).map((a) => a.body));
const out = [];
SECTIONS.forEach((s, si) => {
  const pool = all.filter((a) => a.s === s && !train.has(a.rel) && !trainT.has(a.title) && !trainB.has(a.body)
    && titleCount.get(a.title) === 1 && bodyCount.get(a.body) === 1 && valid(a.buf) && marks(a.t) >= 1);
  shuffle(pool, mulberry32(SEED + si));
  console.error(`bbc/${s}: ${all.filter((a) => a.s === s).length} files, ${pool.length} eligible`);
  for (const a of pool.slice(0, si < 2 ? 7 : 6)) out.push(a.rel);
});
for (const f of readdirSync(SHIP).filter((f) => /\.txt$/.test(f) && f !== 'README.TXT').sort()) {
  if (marks(readFileSync(join(SHIP, f), 'utf8')) >= 1) out.push(`corpus/${f}`);
}
if (existsSync(WIRE)) {
  const files = [];
  const walk = (d, rel) => { for (const f of readdirSync(d).sort()) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p, `${rel}${f}/`); else if (f.endsWith('.md')) files.push(`${rel}${f}`); } };
  walk(WIRE, '');
  const body = (t) => t.replace(/^---\n[\s\S]*?\n---\n/, '');
  const title = (t) => norm((t.match(/^title: (.*)$/m) ?? ['', ''])[1]);
  const pool = files.filter((f) => marks(body(readFileSync(join(WIRE, f), 'utf8'))) >= 1);
  shuffle(pool, mulberry32(SEED + 100));
  console.error(`wire/reuters: ${files.length} files, ${pool.length} eligible`);
  const seen = new Set(); let n = 0;
  for (const f of pool) { if (n === 10) break; const t = title(readFileSync(join(WIRE, f), 'utf8')); if (seen.has(t)) continue; seen.add(t); out.push(`wire/reuters/${f}`); n++; }
} else console.error('wire/reuters: not present');
console.log(out.join('\n'));
