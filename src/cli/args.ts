import { type ParseArgsConfig, parseArgs } from 'node:util';
import { describeError, errorCode, UserFacingError } from '../errors.js';

/**
 * `parseArgs` whose mistakes (an unknown option, an option without its value, a stray argument) become
 * one plain line followed by the usage, printed by `runCli` with exit code 1 and no stack trace.
 */
export function parseCliArgs<T extends ParseArgsConfig>(
  config: T,
  usage: string,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = errorCode(error) ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS_')) throw error;
    throw new UserFacingError(`${describeArgsError(code, describeError(error))}\n${usage}`);
  }
}

/** Node's message in one short line: `--outlet needs a value.`, `Unknown option --foo.` */
export function describeArgsError(code: string, message: string): string {
  const named = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && named) return `Unknown option ${named}.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && named) {
    if (/does not take an argument/.test(message)) return `${named} takes no value.`;
    return `${named} needs a value.`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const argument = /'([^']*)'/.exec(message)?.[1];
    return argument === undefined ? 'Unexpected argument.' : `Unexpected argument "${argument}".`;
  }
  return message.split('\n')[0] as string;
}

/** The options `ask` and `quotes` share: filters, paging, order, JSON and help. */
export const FILTER_ARGS = {
  limit: { type: 'string', short: 'n' },
  outlet: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  order: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;
