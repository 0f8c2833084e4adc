import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openSearch, runIngest } from './helpers/index.js';
import { tempDir } from './helpers/temp.js';

describe('search poisoning', () => {
  it('one long repetitive article cannot take every candidate slot and hide the answer', async () => {
    const work = await tempDir();
    const corpus = path.join(work, 'corpus');
    await mkdir(corpus);
    // About 300 passages that all repeat the question's words, each scoring higher than the answer's.
    const sentence = 'The harbour council approved the harbour budget for the harbour.';
    const paragraph = Array.from({ length: 12 }, () => sentence).join(' ');
    await writeFile(
      path.join(corpus, 'minutes.txt'),
      `Harbour council minutes\n\n${Array.from({ length: 330 }, () => paragraph).join('\n\n')}\n`,
    );
    await writeFile(
      path.join(corpus, 'budget.txt'),
      'Pier repairs funded\n\nAfter a long debate that ran late into Tuesday night, the harbour council approved a budget of four million pounds for repairs to the old pier and the lighthouse, officials said.\n',
    );
    const index = path.join(work, 'index');
    const { summary } = await runIngest(corpus, index, 'use-static-128');
    assert.ok(summary.passages > 256, `${summary.passages} passages`);
    const search = await openSearch(index, 'use-static-128');
    const { results } = await search.search('What budget did the harbour council approve?');
    assert.ok(
      results.some((r) => r.source === 'budget.txt' && /four million pounds/.test(r.quote)),
      JSON.stringify(results.map((r) => r.source)),
    );
  });
});
