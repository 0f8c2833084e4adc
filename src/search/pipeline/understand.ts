import type { ArchiveReader } from '../../store/archive.js';
import { dot } from '../../vectors/vectors.js';
import { profileQuestion } from './question.js';
import type { QueryEvidence } from './retrieve.js';

/** The question embedded: pooled like passages (`vector`) and over its own tokens (`content`). */
export interface EmbeddedQuestion {
  vector: Float32Array;
  content: Float32Array;
}

/**
 * Stage 1, understand: what the question asks for (its terms, other spellings, kind of answer, the
 * parts) and where its dense evidence starts (its similarity to unrelated
 * questions). Returns the query and the archive's idf of every term the later stages weigh.
 */
export async function understand(
  question: string,
  embedded: EmbeddedQuestion,
  background: readonly Float32Array[],
  archive: ArchiveReader,
  lexicalOnly: boolean,
): Promise<{ query: QueryEvidence; idf: (term: string) => number }> {
  const similarities = background.map((b) => dot(embedded.vector, b)).sort((a, b) => b - a);
  // Mean of the two closest unrelated questions: one probe that happens to be on the archive's topic
  // cannot raise the bar alone.
  const zero = ((similarities[0] ?? 0) + (similarities[1] ?? similarities[0] ?? 0)) / 2;
  const profile = profileQuestion(question, (term) => archive.lexical.knows(term));
  // Every term the relevance stages weigh is the question's own or another spelling of it.
  const known = await archive.lexical.idf([
    ...profile.terms,
    ...profile.spellings.flatMap((s) => [...s.from, ...s.to]),
  ]);
  const size = archive.lexical.liveDocs;
  // A term the archive never uses gets the highest idf.
  const idf = (term: string) => known.get(term) ?? Math.log(1 + (size + 0.5) / 0.5);
  return {
    query: {
      terms: profile.terms,
      profile,
      text: question,
      vector: embedded.vector,
      content: embedded.content,
      background: zero,
      denseWeight: lexicalOnly ? 0 : 1,
    },
    idf,
  };
}
