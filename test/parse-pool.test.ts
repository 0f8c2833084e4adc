import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ParseLimitError, ParsePool } from '../src/parsing/parse-pool.js';
import { spawnTsWorker } from '../src/util/spawn-worker.js';

const faulty = new URL('./helpers/parse-worker-faults.ts', import.meta.url).href;
const text = (s: string) => new TextEncoder().encode(s);
const pools: ParsePool[] = [];
const pool = (options: ConstructorParameters<typeof ParsePool>[0]) => {
  const p = new ParsePool({ spawn: (o) => spawnTsWorker(faulty, o), ...options });
  pools.push(p);
  return p;
};
after(() => Promise.all(pools.map((p) => p.dispose())));

describe('parse pool', () => {
  it('reads a corpus file on a worker with the same result as the reader', async () => {
    const result = await pool({}).run({
      kind: 'file',
      bytes: text('Harbour dredging\n\nThe harbour board spent more on dredging this year.'),
      source: 'a.txt',
    });
    assert.equal(result.articles[0]?.title, 'Harbour dredging');
    assert.deepEqual(result.skipped, []);
  });

  it('a file that runs past the time limit is stopped with a ParseLimitError, and the next file is read', async () => {
    const p = pool({ timeoutMs: 1500 });
    const hung = p.run({ kind: 'file', bytes: text('never read'), source: 'hang.txt' });
    const next = p.run({
      kind: 'file',
      bytes: text('Next\n\nThe next file is read as usual.'),
      source: 'b.txt',
    });
    await assert.rejects(
      hung,
      (error: Error) => error instanceof ParseLimitError && /longer than 1.5 s/.test(error.message),
    );
    assert.equal((await next).articles[0]?.title, 'Next');
  });

  it('a file that needs more memory than the limit fails alone, and the bot process carries on', async () => {
    const p = pool({ maxHeapMb: 32 });
    await assert.rejects(
      p.run({ kind: 'file', bytes: text('x'), source: 'hog.txt' }),
      (error: Error) => error instanceof ParseLimitError && /more than 32 MB/.test(error.message),
    );
    const again = await p.run({
      kind: 'file',
      bytes: text('After\n\nRead after the worker was replaced.'),
      source: 'c.txt',
    });
    assert.equal(again.articles[0]?.title, 'After');
  });

  it('a feed that is not a feed rejects with the reader error, not a limit', async () => {
    await assert.rejects(
      pool({}).run({ kind: 'feed', body: '<html><body>hi</body></html>', contentType: 'text/html' }),
      (error: Error) => error.name === 'FeedFormatError' && /HTML page/.test(error.message),
    );
  });
});
