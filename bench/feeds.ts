/** `npm run bench:feeds`: see bench/feeds-bench.ts. The last stdout line is JSON. */
import { runFeedsBench } from './feeds-bench.js';

await runFeedsBench();
