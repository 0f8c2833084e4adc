/**
 * Worker thread entry of the parse pool: runs each job it is sent (one at a time) and answers with the
 * result or the error. Everything hostile input can make slow or deep runs here, not on the bot's loop.
 */
import { parentPort } from 'node:worker_threads';
import { answer, type ParseRequest, READY } from './parse-jobs.js';

const port = parentPort;
if (!port) throw new Error('parse-worker runs as a worker thread');
port.on('message', async (request: ParseRequest) => port.postMessage(await answer(request)));
port.postMessage(READY);
