/**
 * The answer pipeline, as named stages with explicit inputs (each in its own module):
 *
 *   understand → retrieve → candidates (required parts) → quote (sentence model) → score (article model)
 *   → decide (answer or decline; useful results only) → order → fold stories → page
 *
 * Every tunable number is in the RelevanceParams passed in. Pure apart from reading the articles the
 * question touches through `reads`.
 */
import type { ArchiveReader } from '../../store/archive.js';
import type { ArticleMeta } from '../../store/article-view.js';
import type { NearestFilter } from '../../store/backend.js';
import { isInformative, wordsMatching } from '../../text/terms.js';
import type { ArticleRef, Excerpt, SearchOrder } from '../excerpt.js';
import { countMissingParts } from './candidates.js';
import { type ArticleFeatures, answerProbability, decide, strengthOf } from './decide.js';
import { foldSameStories } from './fold.js';
import { pickQuoteOnOnePage } from './page-quote.js';
import type { RelevanceParams } from './params.js';
import { type QuoteChoice, type SentenceRow, sentenceRows } from './quote.js';
import { type ArticleReads, quoteInput, storyFeatures, titleShare } from './reads.js';
import { requiredParts } from './required-terms.js';
import { type ArticleHit, type QueryEvidence, retrieve } from './retrieve.js';

export interface PipelineOptions {
  limit?: number;
  offset?: number;
  order?: SearchOrder;
  quoteSentences?: number;
  foldStories?: boolean;
  /** Also measure every sentence of every scored article (for fitting the sentence model). */
  explain?: boolean;
}

/** A candidate article as the pipeline scored it (what calibration fits on). */
export interface ScoredArticle {
  hit: ArticleHit;
  quote: QuoteChoice;
  features: ArticleFeatures;
  probability: number;
  /** With `explain`: every sentence's features and its offsets in the body. */
  sentences?: { rows: SentenceRow[]; spans: readonly number[]; body: string };
}

export interface PipelineResult {
  results: Excerpt[];
  total: number;
  /** Every candidate scored, best first, before the decision (for calibration and diagnosis). */
  scored: ScoredArticle[];
}

export async function answerPipeline(input: {
  archive: ArchiveReader;
  reads: ArticleReads;
  query: QueryEvidence;
  idf: (term: string) => number;
  params: RelevanceParams;
  allowed: (article: ArticleMeta) => boolean;
  nearestFilter: NearestFilter;
  options: PipelineOptions;
}): Promise<PipelineResult> {
  const { archive, reads, query, idf, params, options } = input;
  const { hits } = await retrieve(archive, query, input.allowed, input.nearestFilter, params.retrieve);
  const candidates = hits.filter((hit) => hit.score >= params.retrieve.candidateFloor);
  const offset = Math.max(0, options.offset ?? 0);
  // The best `depth` are scored; a page further down (or a digest asking for every article) scores as
  // many as it needs.
  const needed = options.limit ? offset + options.limit + params.fold.margin : candidates.length;
  const evaluated = candidates.slice(0, Math.max(params.article.depth, needed));
  await reads.load(evaluated.map((h) => h.articleId));
  // The question's required parts (names as the asker capitalised them: the archive's own casing was
  // measured and did not improve held-out, docs/relevance.md), then what each candidate lacks.
  const required = requiredParts(query.text, query.profile, idf, archive.lexical.liveDocs, params.required);
  const missing = await countMissingParts(evaluated, query, reads, required);
  const size = archive.lexical.liveDocs;
  const best = evaluated[0]?.score ?? 0;
  const unknown = unknownShare(query, archive, idf);
  const scored = evaluated.map((hit): ScoredArticle => {
    const view = reads.view(hit.articleId);
    const input = quoteInput(archive, view, query, idf, options.quoteSentences);
    const quote = pickQuoteOnOnePage(input, (s) => view.pagesOf(view.sentence(s)), params.sentence);
    const features: ArticleFeatures = {
      lexical: Math.min(params.retrieve.lexicalCap, hit.lexical),
      dense: hit.dense,
      quote: quote.score,
      evidence: quote.evidence,
      title: titleShare(archive, hit.articleId, query.profile, idf),
      missing: missing.get(hit.articleId) ?? 0,
      quoteCoverage: quote.coverage,
      behindBest: hit.score - best,
      unknown,
    };
    const probability = answerProbability(features, params.article);
    const sentences = options.explain
      ? { rows: sentenceRows(input, params.sentence), spans: input.sentences, body: view.body }
      : undefined;
    return { hit, quote, features, probability, sentences };
  });
  scored.sort(
    (a, b) =>
      b.probability - a.probability ||
      b.hit.score - a.hit.score ||
      (a.hit.articleId < b.hit.articleId ? -1 : a.hit.articleId > b.hit.articleId ? 1 : 0),
  );
  const kept = decide(scored, params.decide);
  if (options.order === 'date') {
    kept.sort(
      (a, b) =>
        compareDatesDesc(archive.get(a.hit.articleId), archive.get(b.hit.articleId)) ||
        b.probability - a.probability,
    );
  }
  const stories =
    options.foldStories === false
      ? kept.map((s) => ({ hit: s, alsoIn: [] as ScoredArticle[] }))
      : foldSameStories(kept, (s) => storyFeatures(archive, reads.view(s.hit.articleId)), kept.length);
  const page = stories.slice(offset, options.limit ? offset + options.limit : undefined);
  const results = page.map(({ hit: s, alsoIn }): Excerpt => {
    const view = reads.view(s.hit.articleId);
    const quoted = view.body.slice(s.quote.start, s.quote.end);
    return {
      ...articleRef(view.meta),
      quote: quoted,
      start: s.quote.start,
      end: s.quote.end,
      pages: view.pagesOf(s.quote),
      score: Math.round(s.probability * 1000) / 1000,
      strength: strengthOf(s.probability, params.decide),
      matchedWords: wordsMatching(
        quoted,
        new Set(s.quote.matchedTerms.filter((t) => isInformative(t, idf, size))),
      ),
      alsoIn: alsoIn.flatMap((other) => {
        const meta = archive.get(other.hit.articleId);
        return meta ? [articleRef(meta)] : [];
      }),
    };
  });
  return { results, total: stories.length, scored };
}

function articleRef(article: ArticleMeta): ArticleRef {
  return {
    articleId: article.id,
    source: article.source,
    title: article.title,
    outlet: article.outlet,
    date: article.date,
    url: article.url,
  };
}

function compareDatesDesc(a: ArticleMeta | undefined, b: ArticleMeta | undefined): number {
  const da = a?.date ?? '';
  const db = b?.date ?? '';
  return da === db ? 0 : da < db ? 1 : -1;
}

/** Share of the question's words, weighted by rarity, that no article of the archive uses. */
function unknownShare(query: QueryEvidence, archive: ArchiveReader, idf: (term: string) => number): number {
  let total = 0;
  let unknown = 0;
  for (const t of query.terms) {
    const weight = idf(t);
    total += weight;
    const spelled = query.profile.spellings.some(
      (s) => s.from.includes(t) && s.to.every((u) => archive.lexical.knows(u)),
    );
    if (!archive.lexical.knows(t) && !spelled) unknown += weight;
  }
  return total > 0 ? unknown / total : 0;
}
