// Prints an article with each double quotation mark numbered: "[n]
import { readFileSync } from 'node:fs';
const ROOT = { bbc: '/work/shared/corpora/', corpus: '/work/shared/', wire: '/work/corpora/' };
export const pathOf = (rel) => ROOT[rel.split('/')[0]] + rel;
export const MARK = /["\u201c\u201d\u00ab\u00bb\u201e]/g;
if (process.argv[1].endsWith('show.mjs')) for (const rel of process.argv.slice(2)) {
  const t = readFileSync(pathOf(rel), 'utf8'); let n = 0;
  console.log(`===== ${rel}`);
  console.log(t.replace(MARK, (m) => `${m}[${++n}]`));
}
