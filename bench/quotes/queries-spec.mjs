// Builds queries.jsonl from labels.jsonl. Each spec: query fields, then which labelled speaker/file (and
// optional quote filter) gives the expected quotations.
import { readFileSync, writeFileSync } from 'node:fs';
const labels = readFileSync('labels.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const Q = [];
const q = (kind, query, speaker, opts = {}) => Q.push({ kind, query, speaker, ...opts });
// quoted speakers, complete over the whole archive (name found in no other article, or checked by reading)
q('quoted', { speaker: 'lockyer' }, 'Bill Lockyer');
q('quoted', { speaker: 'Bill Lockyer', about: 'gun safety' }, 'Bill Lockyer');
q('quoted', { speaker: 'Ms Thomsen' }, 'Linda Thomsen');
q('quoted', { speaker: 'Mansoor Mohi-Uddin' }, 'Mansoor Mohi-Uddin');
q('quoted', { speaker: 'michael blythe' }, 'Michael Blythe');
q('quoted', { speaker: 'Mr Schenck' }, 'Tommy Schenck');
q('quoted', { speaker: 'Sir Howard Newby' }, 'Howard Newby');
q('quoted', { speaker: 'Mark Mardell' }, 'Mark Mardell');
q('quoted', { speaker: 'beynon' }, 'Rhian Beynon');
q('quoted', { speaker: 'Mark Rimmer', about: 'is the new marriage law draconian' }, 'Mark Rimmer', { only: (r) => /draconian|proportionate response/.test(r.quote) });
q('quoted', { speaker: 'soderling' }, 'Robin Soderling');
q('quoted', { speaker: 'Stefan Koubek', about: 'drugs ban' }, 'Stefan Koubek');
q('quoted', { speaker: 'Brad Gilbert' }, 'Brad Gilbert');
q('quoted', { speaker: 'Linford Christie' }, 'Linford Christie');
q('quoted', { speaker: 'stuart gallacher', about: 'Dave Hodges' }, 'Stuart Gallacher', { only: (r) => /David has been|real professional|enormous contribution/.test(r.quote) });
q('quoted', { speaker: 'Marc Morin' }, 'Marc Morin');
q('quoted', { speaker: 'leboff' }, 'Jay LeBoff');
q('quoted', { speaker: 'Joss Whedon' }, 'Joss Whedon');
q('quoted', { speaker: 'Xi Jinping', about: 'officials sent to Nyingchi' }, 'Xi Jinping', { only: (r) => /Nyingchi|officials we dispatch/.test(r.quote) });
q('quoted', { speaker: 'chen pu' }, 'Chen Pu');
q('quoted', { speaker: 'Walter Loeb' }, 'Walter Loeb');
q('quoted', { speaker: 'Mr Geronimus' }, 'Rene Geronimus');
q('quoted', { speaker: 'Frank Spadine' }, 'Frank Spadine');
q('quoted', { speaker: 'peltier' }, 'William Peltier');
q('quoted', { speaker: 'Monroe Greenstein', about: 'February retail sales' }, 'Monroe Greenstein');
// famous speakers quoted in many articles: scoped to one article with the CLI's `file` filter
q('quoted-scoped', { speaker: 'blair', file: 'bbc/politics/099.txt' }, 'Tony Blair');
q('quoted-scoped', { speaker: 'Mr Brown', file: 'bbc/politics/099.txt' }, 'Gordon Brown');
q('quoted-scoped', { speaker: 'Jack Straw', about: 'lifting the arms embargo on China', file: 'bbc/politics/058.txt' }, 'Jack Straw');
q('quoted-scoped', { speaker: 'Mr Bush', file: 'bbc/business/328.txt' }, 'George W Bush');
// in the set's articles, never directly quoted anywhere in the three archives
q('never-quoted', { speaker: 'depardieu' }, null);
q('never-quoted', { speaker: 'Jean Reno' }, null);
q('never-quoted', { speaker: 'Richard Diamond' }, null);
q('never-quoted', { speaker: 'Marc Vienot' }, null);
q('never-quoted', { speaker: 'Liu Jie' }, null);
q('never-quoted', { speaker: 'John Bolton', about: 'China arms embargo' }, null);
// absent from all three archives
q('absent', { speaker: 'Jacinda Ardern' }, null);
q('absent', { speaker: 'keir starmer' }, null);
q('absent', { speaker: 'Greta Thunberg', about: 'climate' }, null);
const out = Q.map((x, i) => {
  const exp = x.speaker ? labels.filter((r) => r.speaker === x.speaker && (!x.query.file || r.file === x.query.file) && (!x.only || x.only(r))) : [];
  if (x.speaker && exp.length === 0) throw new Error('no expected for ' + JSON.stringify(x.query));
  return { id: `q${String(i + 1).padStart(2, '0')}`, kind: x.kind, ...x.query, speaker_resolved: x.speaker, expected: exp.map((r) => ({ file: r.file, start: r.start, end: r.end, quote: r.quote })) };
});
writeFileSync('queries.jsonl', out.map((r) => JSON.stringify(r)).join('\n') + '\n');
const k = {}; for (const r of out) k[r.kind] = (k[r.kind] ?? 0) + 1;
console.log(out.length, k, 'expected total', out.reduce((a, r) => a + r.expected.length, 0));
