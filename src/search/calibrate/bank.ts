import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * A question bank: archives, each with question files in the shared bank's form, one JSON object a line:
 * `{"q", "files": [...], "answer": "exact words" | ["alternatives"]}` on topic, `{"q", "files": [],
 * "answer": null}` off topic. Split by article (salted hash of the archive and first file) before any
 * fitting: half to fit on (dev), 30% held out to decide whether a change is kept, 20% sealed, scored only
 * when the work is finished. Off-topic questions split by their own text.
 */
export const BankSchema = z.object({
  archives: z.array(
    z.object({
      name: z.string(),
      /** The archive's folder, relative to the bank file. */
      corpus: z.string(),
      /** Question files, relative to the bank file. */
      questions: z.array(z.string()),
    }),
  ),
});

const LineSchema = z.object({
  q: z.string().min(1),
  files: z.array(z.string()).default([]),
  answer: z.union([z.string(), z.array(z.string()).min(1), z.null()]),
});

export type Split = 'dev' | 'held-out' | 'sealed';

export interface BankQuestion {
  archive: string;
  q: string;
  /** The articles holding the answer (corpus-relative); empty off topic. */
  files: string[];
  /** Strings of which the top quote must hold one; null off topic. */
  answers: string[] | null;
  split: Split;
  /** The file it came from (to report the shared banks apart). */
  from: string;
}

export interface BankArchive {
  name: string;
  corpusDir: string;
  questions: BankQuestion[];
}

/** Changing the salt reshuffles every split: never change it once figures are reported. */
const SALT = 'clipdesk-bank-2026-12';

export function splitOf(key: string): Split {
  const h = createHash('sha256').update(`${SALT}:${key}`).digest().readUInt32BE(0) / 2 ** 32;
  return h < 0.5 ? 'dev' : h < 0.8 ? 'held-out' : 'sealed';
}

/**
 * Reads a bank. An on-topic line without files (written for a small archive) gets the articles whose text
 * holds one of its answers, so that it too is split by article.
 */
export async function readBank(
  bankFile: string,
  articleText: (corpusDir: string) => Promise<Map<string, string>>,
): Promise<BankArchive[]> {
  const bank = BankSchema.parse(JSON.parse(await readFile(bankFile, 'utf8')));
  const base = path.dirname(bankFile);
  const archives: BankArchive[] = [];
  for (const archive of bank.archives) {
    const corpusDir = path.resolve(base, archive.corpus);
    if (!existsSync(corpusDir)) {
      process.stderr.write(`Note: ${corpusDir} is not here; the ${archive.name} questions are left out.\n`);
      continue;
    }
    const texts = await articleText(corpusDir);
    const questions: BankQuestion[] = [];
    for (const file of archive.questions) {
      const lines = (await readFile(path.resolve(base, file), 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        const parsed = LineSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.message}`);
        const { q, answer } = parsed.data;
        const answers = answer === null ? null : Array.isArray(answer) ? answer : [answer];
        let files = parsed.data.files;
        if (answers && files.length === 0) {
          files = [...texts]
            .filter(([, text]) => answers.some((a) => normal(text).includes(normal(a))))
            .map(([source]) => source)
            .sort();
        }
        const key = answers ? `${archive.name}:${files[0] ?? q}` : `${archive.name}:off:${q}`;
        questions.push({
          archive: archive.name,
          q,
          files,
          answers,
          split: splitOf(key),
          from: path.basename(file),
        });
      });
    }
    archives.push({ name: archive.name, corpusDir, questions });
  }
  return archives;
}

/** Whitespace collapsed, lower case: how an answer is looked for in a quote. */
export function normal(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Whether a quote holds one of the answers. */
export function holdsAnswer(quote: string, answers: readonly string[]): boolean {
  const q = normal(quote);
  return answers.some((a) => q.includes(normal(a)));
}
