/**
 * Reads a corpus folder in its own process and prints what was read and skipped as JSON, so that a test
 * can read it as another user (root reads every folder whatever its permissions).
 * Usage: tsx read-corpus-child.ts <corpusDir>
 */
import { readCorpus } from '../../src/corpus/read-corpus.js';

const corpus = await readCorpus(process.argv[2] as string, { maxFileBytes: 1024 * 1024 });
process.stdout.write(
  JSON.stringify({ articles: corpus.articles.map((a) => a.source), skipped: corpus.skipped }),
);
