import type { Logger } from '../logger.js';
import { backendFor } from '../store/backends.js';
import { readManifest } from '../store/manifest.js';
import { mergeSegments, pickMerge } from '../store/merge.js';
import { commitMaintenance } from '../store/write.js';
import type { BeforeWrite } from '../util/atomic-write.js';

/**
 * Upkeep after an ingest, under the index lock: merges segments while the merge policy asks for it, then
 * lets the backend compact or train its ANN index. Each step commits like an ingest (old or new index,
 * never half), so it can be interrupted at any point; the next ingest or upkeep carries on.
 */
export async function maintainIndex(
  indexDir: string,
  options: { log: Logger; beforeWrite?: BeforeWrite },
): Promise<{ merges: number; backend: boolean }> {
  let merges = 0;
  for (;;) {
    const read = await readManifest(indexDir);
    if (read.kind !== 'ok') return { merges, backend: false };
    const picked = pickMerge(read.manifest);
    if (!picked) break;
    const started = performance.now();
    await mergeSegments(indexDir, read.manifest, picked, options);
    merges++;
    options.log.info(
      {
        segments: picked.length,
        passages: picked.reduce((n, s) => n + s.passages - s.deletedPassages, 0),
        ms: Math.round(performance.now() - started),
      },
      'index segments merged',
    );
  }
  const read = await readManifest(indexDir);
  if (read.kind !== 'ok') return { merges, backend: false };
  const started = performance.now();
  const lance = await backendFor(read.manifest.backend).maintain(indexDir, read.manifest);
  if (lance) {
    await commitMaintenance(indexDir, read.manifest, { lance });
    options.log.info({ ms: Math.round(performance.now() - started) }, 'vector store maintained');
  }
  return { merges, backend: lance !== null };
}
