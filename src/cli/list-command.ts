import { ArchiveReader } from '../store/archive.js';
import type { ArticleMeta } from '../store/article-view.js';
import { archiveToJson, archiveToText, listArchive } from './archive-list.js';
import { createCliContext, loadCliSettings, modelChosen, offlineFallback } from './context.js';
import { openSearch } from './open-search.js';

/**
 * Prints the archive (`npm run sources`, `npm run ask -- --list`) from the index's catalogs (no article
 * text, no vectors). The model is loaded only when there is no index yet, to build it first as `ask` does.
 */
export async function printArchiveList(
  env: Record<string, string | undefined>,
  options: { outlet: string | null; json: boolean },
): Promise<void> {
  const { config } = await loadCliSettings(env);
  let articles: readonly ArticleMeta[];
  // The default model's index, else (EMBEDDING_MODEL unset) the shipped offline model's, else build one.
  const offline = modelChosen(env) ? null : offlineFallback(config);
  const archive =
    (await ArchiveReader.open(config.indexDir)) ??
    (offline ? await ArchiveReader.open(offline.indexDir) : null);
  if (archive) {
    articles = archive.articles;
    await archive.close();
  } else {
    const context = await createCliContext(env);
    const search = await openSearch(context);
    articles = search.articles;
    await search.close();
    await context.embedder.dispose();
  }
  const list = listArchive(articles, options.outlet);
  const root = process.cwd();
  process.stdout.write(
    options.json
      ? `${JSON.stringify(archiveToJson(list, config.corpusDir, root))}\n`
      : archiveToText(list, config.corpusDir, root),
  );
}
