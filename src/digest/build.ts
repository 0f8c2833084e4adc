import { sameOutlet } from '../search/filters.js';
import { type ArchiveScope, inScope, intersectScopes } from '../search/scope.js';
import type { SearchService } from '../search/search-service.js';
import type { ArticleMeta, ArticleView } from '../store/article-view.js';
import { leadSentence } from '../stories/lead.js';
import { groupStoriesInSlices } from '../stories/same-story.js';

/**
 * New articles sorted into stories per digest, newest first. A digest shows at most 25 stories, and
 * grouping grows with the square of the count in the worst case, so an import of thousands is cut here
 * (the rest are counted, not listed).
 */
export const MAX_CANDIDATES = 500;

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
  /** New articles past MAX_CANDIDATES, not sorted into stories (an import larger than a digest can hold). */
  unsorted?: number;
  /** Articles added in the window but published before the look-back: archive, not news (left out). */
  older?: number;
}

export interface DigestRequest {
  topic: string | null;
  outlet: string | null;
  maxItems: number;
  /** Only these articles (instant alerts name the ones an ingest just added). */
  articleIds?: ReadonlySet<string>;
  /** Announce every article added, also those published long ago (default: only news). */
  everythingAdded?: boolean;
  /** Only this part of the archive (an alert's reach). */
  scope?: ArchiveScope | null;
  /** Where it goes: a channel digest also stays within the channel's scope (see `channelScope`). */
  target?: { kind: 'channel'; channelId: string } | { kind: 'dm' };
}

export interface DigestWindow {
  /** Articles that entered the archive after `since` and up to `until`. */
  since: Date;
  until: Date;
  /**
   * Unless the request asks for everything added, an article published (by its date) more than a day
   * before this is archive, not news, and is left out; an undated article counts as new.
   */
  publishedSince?: Date | null;
}

export interface DigestBuilderOptions {
  /** Told the grouping work done, slice by slice (for progress; the tests move their clock with it). */
  onWork?: (units: number) => void;
  /** The scope of a channel (/scope set), which every digest posted there stays within. */
  channelScope?: (channelId: string) => ArchiveScope | null;
}

/**
 * Builds a digest from the archive: the articles that entered it within the window, restricted to the
 * topic when there is one (an article belongs when it clears the same relevance floor /ask uses), newest
 * first, one story told by several outlets shown once with "also in". Pure of Discord.
 */
export class DigestBuilder {
  constructor(
    private readonly search: SearchService,
    private readonly options: DigestBuilderOptions = {},
  ) {}

  async build(request: DigestRequest, window: DigestWindow): Promise<Digest> {
    await this.search.refresh();
    const channel = request.target?.kind === 'channel' ? request.target.channelId : null;
    let scope: ArchiveScope | null;
    try {
      scope = intersectScopes(
        request.scope ?? null,
        channel ? (this.options.channelScope?.(channel) ?? null) : null,
      );
    } catch {
      // The two leave nothing in common: nothing can be new for it.
      scope = { outlets: [], folders: [], since: '9999-12-31', until: '0000-01-01' };
    }
    const added = this.search.articles.filter((a) => {
      const at = Date.parse(a.addedAt);
      return (
        at > window.since.getTime() &&
        at <= window.until.getTime() &&
        (!request.articleIds || request.articleIds.has(a.id)) &&
        (!scope || inScope(a, scope)) &&
        (!request.outlet || (a.outlet !== null && sameOutlet(a.outlet, request.outlet)))
      );
    });
    // A date has no time of day nor zone: a day of slack keeps yesterday's story news everywhere.
    const firstNewsDay =
      !request.everythingAdded && window.publishedSince
        ? new Date(window.publishedSince.getTime() - 86_400_000).toISOString().slice(0, 10)
        : null;
    const fresh = firstNewsDay ? added.filter((a) => a.date === null || a.date >= firstNewsDay) : added;
    const byId = new Map(fresh.map((a) => [a.id, a]));
    let picked: Array<{ meta: ArticleMeta; span: { start: number; end: number } | null }>;
    if (request.topic) {
      const { results } = await this.search.search(request.topic, {
        articleIds: new Set(byId.keys()),
        quoteSentences: 1,
        foldStories: false,
      });
      picked = results.map((r) => ({
        meta: byId.get(r.articleId) as ArticleMeta,
        span: { start: r.start, end: r.end },
      }));
    } else {
      picked = fresh.map((meta) => ({ meta, span: null }));
    }
    picked.sort(
      (a, b) =>
        (b.meta.date ?? '').localeCompare(a.meta.date ?? '') ||
        b.meta.addedAt.localeCompare(a.meta.addedAt) ||
        a.meta.title.localeCompare(b.meta.title),
    );
    // Capped before any text is read: an import of thousands reads only the newest few hundred.
    const unsorted = Math.max(0, picked.length - MAX_CANDIDATES);
    picked = picked.slice(0, MAX_CANDIDATES);
    const views = new Map((await this.search.views(picked.map((p) => p.meta.id))).map((v) => [v.id, v]));
    const candidates: Array<{
      article: ArticleView;
      start: number;
      end: number;
      vector: Float32Array | null;
    }> = [];
    for (const p of picked) {
      const article = views.get(p.meta.id);
      if (!article) continue;
      const span = p.span ?? leadSentence(article);
      candidates.push({ article, ...span, vector: await this.search.articleVector(p.meta.id) });
    }
    const stories = await groupStoriesInSlices(
      candidates,
      ({ article, vector }) => {
        const lead = leadSentence(article);
        return {
          title: article.title,
          lead: article.body.slice(lead.start, lead.end),
          date: article.meta.date,
          vector,
        };
      },
      { onWork: this.options.onWork },
    );
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
      unsorted,
      older: added.length - fresh.length,
    };
  }
}

function describe(a: ArticleMeta): DigestArticle {
  return { articleId: a.id, title: a.title, outlet: a.outlet, date: a.date, url: a.url };
}
