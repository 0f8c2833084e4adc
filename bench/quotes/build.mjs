// Builds labels.jsonl and excluded.jsonl from ann.txt; verifies offsets and that every mark is accounted for.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathOf, MARK } from './show.mjs';
const articles = readFileSync('articles.txt', 'utf8').split('\n').filter(Boolean);
const lines = readFileSync('ann.txt', 'utf8').split('\n');
const labels = [], excluded = [], errors = [];
let file = null, text = null, marks = null, used = null;
const done = new Map();
function finish() { if (!file) return; const un = marks.map((_, i) => i + 1).filter((i) => !used.has(i)); if (un.length) errors.push(`${file}: marks not accounted for: ${un}`); done.set(file, true); }
function span(a, b) {
  const s = marks[a - 1] + 1;
  let e = b === 'P' ? text.indexOf('\n', s) : marks[b - 1];
  if (e < 0) e = text.length;
  const nl = text.indexOf('\n', s); if (nl >= 0 && nl < e) e = nl; // never cross a paragraph end
  let ss = s; while (/\s/.test(text[ss])) ss++;
  while (e > ss && /\s/.test(text[e - 1])) e--;
  return [ss, e];
}
for (const raw of lines) {
  const l = raw.trim(); if (!l) continue;
  if (l.startsWith('== ')) { finish(); file = l.slice(3); text = readFileSync(pathOf(file), 'utf8'); marks = [...text.matchAll(MARK)].map((m) => m.index); used = new Set(); continue; }
  let m;
  if ((m = l.match(/^S (.+?) \| (.+)$/))) {
    const t = m[1]; const at = text.indexOf(`'${t}'`);
    if (at < 0) { errors.push(`${file}: single-quoted span not found: ${t}`); continue; }
    excluded.push({ file, text: t, reason: m[2], start: at + 1, end: at + 1 + t.length }); continue;
  }
  if ((m = l.match(/^(\d+)-(\d+|P) X \| (.+)$/))) {
    const a = +m[1], b = m[2] === 'P' ? 'P' : +m[2]; const [s, e] = span(a, b);
    used.add(a); if (b !== 'P') used.add(b);
    excluded.push({ file, text: text.slice(s, e), reason: m[3], start: s, end: e }); continue;
  }
  if ((m = l.match(/^(\d+)-(\d+|P) \| (.+?) \| (.+)$/))) {
    const a = +m[1], b = m[2] === 'P' ? 'P' : +m[2]; const [s, e] = span(a, b);
    used.add(a); if (b !== 'P') used.add(b);
    let sp = m[3].trim(), named = true;
    if (sp === 'null') { sp = null; named = false; } else if (sp.startsWith('~')) { sp = sp.slice(1); named = false; }
    const cue = m[4].trim() === '-' ? null : m[4].trim();
    const quote = text.slice(s, e);
    if (/["\u201c\u201d]/.test(quote)) errors.push(`${file}: quote contains a mark: ${quote}`);
    if (!quote.trim()) errors.push(`${file}: empty quote ${l}`);
    if (sp && named && !text.includes(sp.split(' ').pop())) errors.push(`${file}: speaker not in article: ${sp}`);
    labels.push({ file, quote, speaker: sp, named, cue, start: s, end: e }); continue;
  }
  errors.push(`bad line: ${l}`);
}
finish();
for (const a of articles) if (!done.has(a)) errors.push(`article not annotated: ${a}`);
for (const f of done.keys()) if (!articles.includes(f)) errors.push(`annotated but not drawn: ${f}`);
// verify
for (const r of [...labels, ...excluded]) { const t = readFileSync(pathOf(r.file), 'utf8'); const q = r.quote ?? r.text; if (t.slice(r.start, r.end) !== q) errors.push(`slice mismatch ${r.file} ${q}`); }
// rule 6 duplicates
const key = new Set(); for (const r of labels) { const k = r.file + '\u0000' + r.quote; if (key.has(k)) errors.push(`duplicate label text ${r.file}: ${r.quote}`); key.add(k); }
writeFileSync('labels.jsonl', labels.map((r) => JSON.stringify(r)).join('\n') + '\n');
writeFileSync('excluded.jsonl', excluded.map((r) => JSON.stringify(r)).join('\n') + '\n');
console.log(`labels ${labels.length}, excluded ${excluded.length}, articles ${done.size}`);
if (errors.length) { console.log(errors.join('\n')); process.exit(1); }
