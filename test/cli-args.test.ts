import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../src/cli/args.js';
import { UserFacingError } from '../src/errors.js';

const USAGE = 'Usage: npm run ask -- "question" [--outlet NAME] [--json]';
const OPTIONS = {
  allowPositionals: true,
  options: { outlet: { type: 'string' }, json: { type: 'boolean' } },
} as const;

/** The message `parseCliArgs` gives for `args`, or null when they parse. */
function mistake(args: string[], allowPositionals = true): string | null {
  try {
    parseCliArgs({ ...OPTIONS, allowPositionals, args }, USAGE);
    return null;
  } catch (error) {
    assert.ok(error instanceof UserFacingError, 'a person’s mistake, printed without a stack');
    return error.message;
  }
}

describe('command-line arguments', () => {
  it('turns each kind of argument mistake into one plain line followed by the usage', () => {
    assert.equal(mistake(['aid', '--outlet']), `--outlet needs a value.\n${USAGE}`);
    assert.equal(mistake(['--outlet', '--json', 'aid']), `--outlet needs a value.\n${USAGE}`);
    assert.equal(mistake(['--json=yes']), `--json takes no value.\n${USAGE}`);
    assert.equal(mistake(['--frobnicate']), `Unknown option --frobnicate.\n${USAGE}`);
    assert.equal(mistake(['-x']), `Unknown option -x.\n${USAGE}`);
    assert.equal(mistake(['stray'], false), `Unexpected argument "stray".\n${USAGE}`);
  });

  it('parses good arguments as node:util parseArgs does', () => {
    assert.equal(mistake(['aid', '--outlet', 'Xinhua', '--json']), null);
    const { values, positionals } = parseCliArgs(
      { ...OPTIONS, args: ['aid', '--outlet=Xinhua', 'work'] },
      USAGE,
    );
    assert.deepEqual([values.outlet, positionals], ['Xinhua', ['aid', 'work']]);
  });
});
