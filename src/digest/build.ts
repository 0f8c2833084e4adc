import { sameOutlet } from '../search/filters.js';
import type { StoredArticle } from '../search/index-store.js';
import type { SearchService } from '../search/search-service.js';
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
        (!request.outlet || (a.outlet !== null && sameOutlet(a.outlet, request.outlet)))
      );
    });
    const byId = new Map(fresh.map((a) => [a.id, a]));
    let candidates: Array<{ article: StoredArticle; start: number; end: number }>;
    if (request.topic) {
      const { results } = await this.search.search(request.topic, {
        articleIds: new Set(byId.keys()),
        quoteSentences: 1,
        foldStories: false,
      });
      candidates = results.map((r) => ({
        article: byId.get(r.articleId) as StoredArticle,
        start: r.start,
        end: r.end,
      }));
    } else {
      candidates = fresh.map((article) => ({ article, ...leadSentence(article) }));
    }
    candidates.sort(
      (a, b) =>
        (b.article.date ?? '').localeCompare(a.article.date ?? '') ||
        b.article.addedAt.localeCompare(a.article.addedAt) ||
        a.article.title.localeCompare(b.article.title),
    );
    const stories = groupStories(candidates, ({ article }) => ({
      title: article.title,
      lead: (() => {
        const lead = leadSentence(article);
        return article.body.slice(lead.start, lead.end);
      })(),
      date: article.date,
      vector: this.search.articleVector(article.id),
    }));
    const entries = stories.slice(0, request.maxItems).map(([first, ...others]) => {
      const { article, start, end } = first as (typeof candidates)[number];
      return {
        ...describe(article),
        sentence: article.body.slice(start, end),
        start,
        end,
        alsoIn: others.map((o) => describe(o.article)),
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

function describe(a: StoredArticle): DigestArticle {
  return { articleId: a.id, title: a.title, outlet: a.outlet, date: a.date, url: a.url };
}
