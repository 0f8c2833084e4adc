/** `npm run bench:pdf`: see bench/pdf-read.ts. The last stdout line is JSON. */
import { runPdfBench } from './pdf-read.js';

console.log(JSON.stringify(await runPdfBench()));
