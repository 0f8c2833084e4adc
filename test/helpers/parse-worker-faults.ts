/**
 * A parse worker for tests: the real one, except that a file named `hang.txt` never finishes and one named
 * `hog.txt` allocates until its heap is exhausted.
 */
import { parentPort } from 'node:worker_threads';
import { answer, type ParseRequest, READY } from '../../src/parsing/parse-jobs.js';

const port = parentPort;
if (!port) throw new Error('a worker thread');
port.on('message', async (request: ParseRequest) => {
  const source = request.job.kind === 'file' ? request.job.source : '';
  if (source === 'hang.txt') for (;;);
  if (source === 'hog.txt') {
    const kept: number[][] = [];
    for (;;) kept.push(new Array(100_000).fill(kept.length));
  }
  port.postMessage(await answer(request));
});
port.postMessage(READY);
