import { sameOutlet } from '../search/filters.js';
import type { SearchService } from '../search/search-service.js';
import type { ArticleMeta, ArticleView } from '../store/article-view.js';
import { leadSentence } from './lead.js';
import { groupStories } from './same-story.js';

/** An article as a digest names it. */
export interface DigestArticle {
  articleId: string;
  title: string;
  outlet: string | null;
  date: string | null;
  url: string | null;
}

/** One story in a digest: an article, one verbatim sentence of it, and the other outlets that carried it. */
export interface DigestEntry extends DigestArticle {
  /** Exactly `body.slice(start, end)` of the article. */
  sentence: string;
  start: number;
  end: number;
  alsoIn: DigestArticle[];
}

export interface Digest {
  /** Articles that entered the archive after `since` and up to `until` (ISO). */
  since: string;
  until: string;
  topic: string | null;
  outlet: string | null;
  entries: DigestEntry[];
  /** Stories left out by the subscription's maximum. */
  more: number;
}

export interface DigestRequest {
  topic: string | null;
  outlet: string | null;
  maxItems: number;
  /** Only these articles (instant alerts name the ones an ingest just added). */
  articleIds?: ReadonlySet<string>;
}

/**
 * Builds a digest from the archive: the articles that entered it within the window, restricted to the
 * topic when there is one (an article belongs when it clears the same relevance floor /ask uses), newest
 * first, one story told by several outlets shown once with "also in". Pure of Discord.
 */
export class DigestBuilder {
  constructor(private readonly search: SearchService) {}

  async build(request: DigestRequest, window: { since: Date; until: Date }): Promise<Digest> {
    await this.search.refresh();
    const fresh = this.search.articles.filter((a) => {
      const added = Date.parse(a.addedAt);
      return (
        added > window.since.getTime() &&
        added <= window.until.getTime() &&
        (!request.articleIds || request.articleIds.has(a.id)) &&
        (!request.outlet || (a.outlet !== null && sameOutlet(a.outlet, request.outlet)))
      );
    });
    let picked: Array<{ id: string; start: number; end: number } | { id: string; lead: true }>;
    if (request.topic) {
      const { results } = await this.search.search(request.topic, {
        articleIds: new Set(fresh.map((a) => a.id)),
        quoteSentences: 1,
      });
      picked = results.map((r) => ({ id: r.articleId, start: r.start, end: r.end }));
    } else {
      picked = fresh.map((a) => ({ id: a.id, lead: true as const }));
    }
    const views = new Map((await this.search.views(picked.map((p) => p.id))).map((v) => [v.id, v]));
    const candidates: Array<{
      article: ArticleView;
      start: number;
      end: number;
      vector: Float32Array | null;
    }> = [];
    for (const p of picked) {
      const article = views.get(p.id);
      if (!article) continue;
      const span = 'lead' in p ? leadSentence(article) : { start: p.start, end: p.end };
      candidates.push({ article, ...span, vector: await this.search.articleVector(p.id) });
    }
    candidates.sort(
      (a, b) =>
        (b.article.meta.date ?? '').localeCompare(a.article.meta.date ?? '') ||
        b.article.meta.addedAt.localeCompare(a.article.meta.addedAt) ||
        a.article.title.localeCompare(b.article.title),
    );
    const stories = groupStories(candidates, ({ article, vector }) => {
      const lead = leadSentence(article);
      return {
        title: article.title,
        lead: article.body.slice(lead.start, lead.end),
        date: article.meta.date,
        vector,
      };
    });
    const entries = stories.slice(0, request.maxItems).map(([first, ...others]) => {
      const { article, start, end } = first as (typeof candidates)[number];
      return {
        ...describe(article.meta),
        sentence: article.body.slice(start, end),
        start,
        end,
        alsoIn: others.map((o) => describe(o.article.meta)),
      };
    });
    return {
      since: window.since.toISOString(),
      until: window.until.toISOString(),
      topic: request.topic,
      outlet: request.outlet,
      entries,
      more: Math.max(0, stories.length - entries.length),
    };
  }
}

function describe(a: ArticleMeta): DigestArticle {
  return { articleId: a.id, title: a.title, outlet: a.outlet, date: a.date, url: a.url };
}
