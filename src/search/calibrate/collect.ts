import type { SearchService } from '../search-service.js';
import type { BankQuestion } from './bank.js';
import { answerSentences, type Observation } from './fit.js';

/** How many results a question asks for while collecting (as /ask's first page). */
const COLLECT_LIMIT = 5;

/** Runs each question through the pipeline and keeps what fitting needs. */
export async function collect(
  service: SearchService,
  questions: readonly BankQuestion[],
): Promise<Observation[]> {
  const observations: Observation[] = [];
  for (const question of questions) {
    const run = await service.explain(question.q, { limit: COLLECT_LIMIT });
    const files = new Set(question.files);
    const candidates = run.scored.map((s) => {
      const view = run.reads.view(s.hit.articleId);
      return {
        right: files.has(view.meta.source),
        features: s.features,
        quote: view.body.slice(s.quote.start, s.quote.end),
        sentences: s.sentences,
      };
    });
    const sentenceGroups = question.answers
      ? candidates.flatMap((c) => {
          if (!c.right || !c.sentences) return [];
          const chosen = answerSentences(c.sentences.body, c.sentences.spans, question.answers ?? []);
          return chosen.size > 0 ? [{ rows: c.sentences.rows, chosen, spans: c.sentences.spans }] : [];
        })
      : [];
    observations.push({
      key: `${question.archive}:${question.files[0] ?? question.q}`,
      answerable: question.answers !== null,
      answers: question.answers,
      candidates: candidates.map(({ right, features, quote }) => ({ right, features, quote })),
      sentenceGroups,
    });
  }
  return observations;
}
