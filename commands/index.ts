import type { Command } from '../src/discord/context.js';
import add from './add.js';
import ask from './ask.js';
import digest from './digest.js';
import feeds from './feeds.js';
import help from './help.js';
import quotes from './quotes.js';
import reindex from './reindex.js';
import scope from './scope.js';
import sources from './sources.js';
import status from './status.js';

/** Every slash command. Deploy (`npm run deploy-commands`) and the running bot both read this list. */
export const commands: Command[] = [ask, quotes, sources, status, digest, reindex, help, feeds, add, scope];
