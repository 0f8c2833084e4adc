/**
 * Worker thread entry: loads its own onnxruntime session of the model and embeds the batches it is sent,
 * pooling included, so the calling thread only routes token ids and vectors.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../errors.js';
import {
  type BatchMessage,
  packResults,
  type ReadyMessage,
  type ResultMessage,
  unpackBatch,
  type WorkerSetup,
} from './embed-messages.js';
import { forwardBatch } from './embedding-batch.js';
import { openModel, threadedSession, useModelSource } from './model-loading.js';

const port = parentPort;
if (!port) throw new Error('embed-worker runs as a worker thread');
const setup = workerData as WorkerSetup;

try {
  useModelSource(setup.source, setup.cacheDir);
  const model = await openModel(setup.source, threadedSession(setup.threads));
  // One batch at a time, in arrival order; the next waits in the port while this one runs.
  let previous = Promise.resolve();
  const embed = async (message: BatchMessage): Promise<void> => {
    let reply: ResultMessage;
    try {
      const results = await forwardBatch(model, setup.specials, unpackBatch(message));
      reply = packResults(message.job, results, results[0]?.vector.length ?? 0);
    } catch (error) {
      reply = { job: message.job, error: describeError(error) };
    }
    const transfer = 'vectors' in reply ? [reply.vectors.buffer, reply.pieces.buffer] : [];
    port.postMessage(reply, transfer);
  };
  port.on('message', (message: BatchMessage) => {
    previous = previous.then(() => embed(message));
  });
  port.postMessage({ ready: true } satisfies ReadyMessage);
} catch (error) {
  port.postMessage({
    ready: false,
    error: describeError(error),
  } satisfies ReadyMessage);
}
