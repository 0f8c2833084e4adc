import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A larger corpus made from the shipped articles: copy k of each article has its paragraphs rotated by k
 * and a numbered note, so every copy hashes and splits differently while reading like news.
 */
export async function buildBenchCorpus(
  sourceDir: string,
  targetDir: string,
  copies: number,
): Promise<number> {
  await mkdir(targetDir, { recursive: true });
  const files = (await readdir(sourceDir)).filter((f) => f.endsWith('.txt')).sort();
  let written = 0;
  for (let k = 0; k < copies; k++) {
    for (const file of files) {
      const text = await readFile(path.join(sourceDir, file), 'utf8');
      const [head, ...rest] = text.split('\n');
      const paragraphs = rest
        .join('\n')
        .split(/\n\s*\n|\n/)
        .filter((p) => p.trim() !== '');
      const shift = k % Math.max(1, paragraphs.length);
      const rotated = [...paragraphs.slice(shift), ...paragraphs.slice(0, shift)];
      const body = [
        ...rotated,
        `Archive copy ${k + 1} of this report, filed for benchmark number ${k * 7 + 3}.`,
      ].join('\n\n');
      await writeFile(path.join(targetDir, `${String(k).padStart(4, '0')}_${file}`), `${head}\n\n${body}\n`);
      written++;
    }
  }
  return written;
}
