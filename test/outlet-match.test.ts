import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchOutlet, outletProblem } from '../src/search/outlet-match.js';

const OUTLETS = ['BBC News', 'Sky News', 'ABBC Radio', 'Reuters', 'The Guardian'];

describe('outlet names as people type them', () => {
  it('matches the same name in any case, then one outlet holding the typed words as whole words', () => {
    assert.deepEqual(matchOutlet('bbc news', OUTLETS), { kind: 'one', outlet: 'BBC News' });
    assert.deepEqual(matchOutlet('BBC', OUTLETS), { kind: 'one', outlet: 'BBC News' }, 'not ABBC Radio');
    assert.deepEqual(matchOutlet('guardian', OUTLETS), { kind: 'one', outlet: 'The Guardian' });
  });

  it('lists the outlets a name could mean', () => {
    const match = matchOutlet('news', OUTLETS);
    assert.deepEqual(match, { kind: 'several', outlets: ['BBC News', 'Sky News'] });
    assert.equal(
      outletProblem('news', match),
      '"news" matches several outlets: BBC News, Sky News. Name one of them.',
    );
  });

  it('names the closest outlets when none matches (parts of words do not match)', () => {
    const typo = matchOutlet('Reutres', OUTLETS);
    assert.equal(typo.kind === 'none' && typo.closest[0], 'Reuters');
    const part = matchOutlet('Reu', OUTLETS);
    assert.equal(part.kind === 'none' && part.closest[0], 'Reuters');
    assert.match(
      outletProblem('Reu', part) ?? '',
      /^No article in the archive is from the outlet "Reu"\. Closest outlets: Reuters, /,
    );
    assert.equal(
      outletProblem('x', matchOutlet('x', [])),
      'No article in the archive is from the outlet "x". No article records its outlet.',
    );
  });
});
