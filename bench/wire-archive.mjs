#!/usr/bin/env node
/**
 * Builds the Reuters wire test archive from the Reuters-21578 collection (reut2-000.sgm .. reut2-021.sgm).
 *
 * Usage: node bench/wire-archive.mjs <sgm-folder> <out-folder>
 *
 * Selection rule: the .sgm files are read in name order and the REUTERS elements in each file in document
 * order (so NEWID ascending, 1 .. 21578). A story is kept when it has a non-empty TITLE and its cleaned
 * BODY (entities decoded, control characters and the closing "Reuter" sign-off removed, lines joined into
 * paragraphs as below) is at least 600 characters long. The first 2,300 kept stories are written as
 * <out-folder>/0001.md .. 2300.md, numbered in that order. Duplicate wire stories are NOT removed: the wire
 * repeats stories (corrections, re-sends), and the archive keeps them as the wire sent them.
 *
 * Output form (read by src/corpus/markdown-format.ts): YAML front matter with `title` (the TITLE, verbatim),
 * `date` (ISO yyyy-mm-dd from DATE, e.g. "26-FEB-1987 15:01:11.79" -> 1987-02-26), `outlet: Reuters`,
 * `author` when the story has an AUTHOR line ("by Jeremy Solomons, Reuters" -> Jeremy Solomons), and
 * `newid` (the collection's NEWID, for tracing; Clipdesk ignores it); no url. Body: the BODY text only (the
 * DATELINE element is not part of it). The wire wraps lines at about 65 columns and starts each paragraph
 * with an indented line; an indented line (or a blank line) starts a new paragraph and the other lines are
 * joined to the previous one with a single space, paragraphs separated by a blank line. Text is otherwise
 * verbatim (wire style: "mln", "dlrs", "pct", "N.Y.", "<Tandy Corp>" for the entity &lt;Tandy Corp>).
 *
 * The files are Latin-1; they are read as such and written as UTF-8. No dependencies.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LIMIT = 2300;
const MIN_BODY = 600;

const [, , inDir, outDir] = process.argv;
if (!inDir || !outDir) {
  console.error('usage: node bench/wire-archive.mjs <sgm-folder> <out-folder>');
  process.exit(2);
}

const MONTHS = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};

function decode(text) {
  return stripControl(text)
    .replace(/&#(\d+);/g, (_, n) => {
      const code = Number(n);
      return code < 32 || code === 127 ? '' : String.fromCharCode(code);
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Control characters other than tab and line breaks, dropped (the SGML carries a few raw ones). */
function stripControl(text) {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code >= 32 ? code !== 127 : code === 9 || code === 10 || code === 13) out += ch;
  }
  return out;
}

function element(block, name) {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(block);
  return m ? m[1] : null;
}

function isoDate(raw) {
  const m = /(\d{1,2})-([A-Z]{3})-(\d{4})/.exec(raw ?? '');
  if (!m) return null;
  const month = MONTHS[m[2]];
  if (!month) return null;
  return `${m[3]}-${String(month).padStart(2, '0')}-${m[1].padStart(2, '0')}`;
}

function cleanBody(raw) {
  let text = decode(raw).replace(/\r\n?/g, '\n');
  // The sign-off: " Reuter" (sometimes "REUTER", a few stories carry it twice) on the last line(s).
  while (/\s*\bReuter\s*$/i.test(text)) text = text.replace(/\s*\bReuter\s*$/i, '');
  const paragraphs = [];
  let current = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (current !== null) paragraphs.push(current);
      current = null;
      continue;
    }
    if (current === null || /^\s/.test(line)) {
      if (current !== null) paragraphs.push(current);
      current = line.trim();
    } else {
      current += ` ${line.trim()}`;
    }
  }
  if (current !== null) paragraphs.push(current);
  return paragraphs.filter((p) => p !== '').join('\n\n');
}

function cleanAuthor(raw) {
  if (!raw) return null;
  const name = decode(raw)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^by\s+/i, '')
    .replace(/,?\s*Reuters?\b.*$/i, '')
    .trim();
  return name || null;
}

const yaml = (s) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

const files = readdirSync(inDir)
  .filter((f) => /^reut2-\d{3}\.sgm$/.test(f))
  .sort();
if (files.length !== 22) console.error(`warning: ${files.length} .sgm files (expected 22)`);
mkdirSync(outDir, { recursive: true });

let seen = 0;
let kept = 0;
const skipped = { noTitle: 0, noBody: 0, short: 0, noDate: 0 };
outer: for (const file of files) {
  const text = readFileSync(join(inDir, file), 'latin1');
  for (const m of text.matchAll(/<REUTERS\b([^>]*)>([\s\S]*?)<\/REUTERS>/g)) {
    seen++;
    const [, attrs, block] = m;
    const newid = Number(/NEWID="(\d+)"/.exec(attrs)?.[1]);
    const titleRaw = element(block, 'TITLE');
    const title = titleRaw ? decode(titleRaw).replace(/\s+/g, ' ').trim() : '';
    if (!title) {
      skipped.noTitle++;
      continue;
    }
    const bodyRaw = element(block, 'BODY');
    if (!bodyRaw) {
      skipped.noBody++;
      continue;
    }
    const body = cleanBody(bodyRaw);
    if (body.length < MIN_BODY) {
      skipped.short++;
      continue;
    }
    const date = isoDate(element(block, 'DATE'));
    if (!date) {
      skipped.noDate++;
      continue;
    }
    const author = cleanAuthor(element(block, 'AUTHOR'));
    kept++;
    const lines = ['---', `title: ${yaml(title)}`, `date: ${date}`, 'outlet: Reuters'];
    if (author) lines.push(`author: ${yaml(author)}`);
    lines.push(`newid: ${newid}`, '---', '', body, '');
    writeFileSync(join(outDir, `${String(kept).padStart(4, '0')}.md`), lines.join('\n'));
    if (kept >= LIMIT) break outer;
  }
}
console.log(`read ${seen} stories from ${files.length} files; wrote ${kept} to ${outDir}`);
console.log(`skipped: ${JSON.stringify(skipped)}`);
