import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerEvidence } from '../src/search/pipeline/answer-evidence.js';
import { DEFAULT_PARAMS } from '../src/search/pipeline/params.js';
import { answerKind, otherSpellings, profileQuestion } from '../src/search/pipeline/question.js';
import { type ArticleTest, missingParts, requiredParts } from '../src/search/pipeline/required-terms.js';
import { analyze, isInformative } from '../src/text/terms.js';

const known = () => true;

describe('what a question asks for', () => {
  it('reads the kind of answer from the wording', () => {
    const cases: Array<[string, ReturnType<typeof answerKind>]> = [
      ['how much did time warner earn?', 'quantity'],
      ['by what score did united lose?', 'quantity'],
      ['when is the film due out?', 'date'],
      ['on what date do italy play england?', 'date'],
      ['who chairs migration watch?', 'name'],
      ['which film studios chose hd-dvd?', 'name'],
      ['where will the iaaf take its appeal?', 'place'],
      ['what did the adviser call the sale?', 'quote'],
      ['how did labour reply to the message?', 'quote'],
      ["how does pernod's market value compare with allied domecq's?", 'comparison'],
      ['why is xizang important?', null],
    ];
    for (const [q, kind] of cases) assert.equal(answerKind(q), kind, q);
  });

  it('tells the unit of an amount: money, a share, a duration, a count', () => {
    assert.equal(profileQuestion('How much did Metlife pay for Travelers?', known).unit, 'money');
    assert.equal(profileQuestion('By how much did profit grow?', known).unit, 'share');
    assert.equal(profileQuestion('How long did the match last?', known).unit, 'duration');
    assert.equal(profileQuestion('How many jobs will it create?', known).unit, 'count');
    assert.equal(profileQuestion('How many jobs will it create?', known).counted, 'job');
  });

  it('finds other spellings the archive uses: words joined, or a prefix hyphenated', () => {
    const vocabulary = new Set(['timewarn', 'e', 'mail', 'deep', 'water']);
    const has = (t: string) => vocabulary.has(t);
    assert.deepEqual(otherSpellings("Time Warner's profit", has), [
      { from: ['time', 'warner'], to: ['timewarn'] },
    ]);
    assert.deepEqual(otherSpellings('an email scam', has), [{ from: ['email'], to: ['e', 'mail'] }]);
    // Only common prefixes are split off: an unknown name is not read as two ordinary words.
    assert.deepEqual(otherSpellings('the Deepwater spill', has), []);
  });
});

describe('answer evidence', () => {
  const ev = (question: string, sentence: string) =>
    answerEvidence(sentence, profileQuestion(question, known));

  it('is strongest for an amount of the asked-for unit next to what is counted', () => {
    const q = 'How many jobs does South Korea hope to create?';
    assert.equal(ev(q, 'It aims to create 400,000 jobs.'), 1);
    assert.ok(ev(q, 'It has earmarked 100 trillion won.') < 1);
    assert.equal(ev(q, 'South Korea will boost spending to create jobs.'), 0);
  });

  it('takes an order of magnitude ("millions of dollars") for less than a figure', () => {
    const q = 'How much is Microsoft seeking in damages from the company?';
    assert.ok(
      ev(q, 'Microsoft is seeking millions of dollars in damages.') <
        ev(q, 'Its debts included the $46m that Microsoft is seeking.'),
    );
    assert.ok(ev(q, 'Microsoft is seeking millions of dollars in damages.') > 0);
  });

  it('takes a number that counts another thing for less than one that counts what is asked', () => {
    const q = "How many tickets had been sold for Nelly's concert?";
    assert.ok(
      ev(q, 'More than 20 Jonesboro ministers urged fans to boycott the concert.') <
        ev(q, 'A spokesman said 5,000 had been sold.'),
    );
    assert.equal(ev(q, 'A spokesman said more than 5,500 tickets had been sold.'), 1);
  });

  it('does not count what the question already gives', () => {
    assert.equal(ev('How many workers could strike on 23 March?', 'The strike is set for 23 March.'), 0);
    assert.ok(
      ev('How many workers could strike on 23 March?', 'Up to 1.4m workers could strike on 23 March.') > 0,
    );
  });

  it('needs money for "how much did it cost" and a date for "when"', () => {
    assert.ok(
      ev('How much did Metlife pay?', 'Metlife paid $11.5bn.') >
        ev('How much did Metlife pay?', 'Metlife paid in 12 instalments.'),
    );
    assert.ok(ev('When will it be shown?', 'It will be broadcast in the US on 19 May.') > 0);
    assert.equal(ev('When will it be shown?', 'It will be broadcast in the US.'), 0);
  });

  it('finds new names for who and which, and quotations for what someone said', () => {
    assert.ok(ev('Who chairs Migration Watch?', 'Sir Andrew Green, its chairman, disagreed.') > 0);
    assert.equal(ev('Who chairs Migration Watch?', 'Migration Watch disagreed.'), 0);
    assert.equal(ev('What did Xi reply?', '"Anyone but me has the right to flinch," Xi insisted.'), 1);
  });

  it('takes names listed together for the right form when the question asks for several', () => {
    const q = 'Which places did the political advisor inspect while in Xinjiang?';
    assert.equal(profileQuestion(q, known).asksSeveral, true);
    assert.equal(profileQuestion('Which film studios chose HD-DVD?', known).asksSeveral, true);
    assert.equal(profileQuestion('Which club does Rooney play for?', known).asksSeveral, false);
    assert.equal(profileQuestion('Who chaired the meeting?', known).asksSeveral, false);
    assert.ok(
      ev(q, 'Wang also made an inspection tour to Aksu, Hotan, Alaer and Kunyu during his visit.') >
        ev(q, 'The Standing Committee of the Political Bureau met in Xinjiang.'),
    );
  });

  it('answers "what does X stand for" with the words that spell X out, and no other name', () => {
    const q = 'What does the name of the rap act Raw T stand for?';
    assert.equal(profileQuestion(q, known).abbreviation, 'rawt');
    assert.equal(profileQuestion('What does the IAAF stand for?', known).abbreviation, 'iaaf');
    assert.equal(
      ev(q, 'I went to see this group, Raw T - which stands for Realise And Witness Talent - and loved it.'),
      1,
    );
    assert.equal(ev(q, 'Now Wilson believes rap act Raw T - signed to BBC World Service - will win.'), 0);
    assert.equal(
      ev(
        'What does the IAAF stand for?',
        'The International Association of Athletics Federations will appeal.',
      ),
      1,
    );
  });

  it('reads a place after "in the", "at the" as after "in", "at"', () => {
    const q = 'Where did Jimmy Connors spend three days before the announcement?';
    assert.equal(ev(q, 'He had spent three days at the Elite Performance camp.'), 1);
    assert.equal(ev(q, 'He had spent three days in La Manga.'), 1);
    assert.ok(ev(q, 'He had spent three days with the Elite Performance staff.') < 1);
  });

  it('finds a comparison for "how does X compare with Y"', () => {
    const q = "How does Pernod Ricard's market value compare with Allied Domecq's?";
    assert.equal(ev(q, 'In market value, Pernod is about 9% smaller than Allied Domecq.'), 1);
    assert.equal(ev(q, 'Its shares have risen by more than a tenth this year.'), 0.25);
    assert.equal(ev(q, 'Shares in Allied Domecq rose on talk of a takeover by Pernod Ricard.'), 0);
    assert.equal(ev(q, 'Pernod would rather buy Allied Domecq than wait.'), 0);
  });

  it('is zero when the wording does not say what is asked', () => {
    assert.equal(ev('Why is Xizang important for the environment?', 'In 2024, 12,000 officials went.'), 0);
  });
});

describe('the parts an answering article must hold', () => {
  const idf = (rare: string[]) => (term: string) => (rare.includes(term) ? 9 : 2);
  const article = (text: string): ArticleTest => {
    const sentences = text.split('. ').map((s) => new Set(analyze(s)));
    const all = new Set(sentences.flatMap((s) => [...s]));
    return {
      holds: (t) => all.has(t),
      nearWords: (t, others) =>
        sentences.some(
          (s, i) =>
            s.has(t) && [i - 1, i, i + 1].some((n) => [...(sentences[n] ?? [])].some((o) => others.has(o))),
        ),
      inRow: (terms) =>
        text
          .split('. ')
          .map((s) => analyze(s))
          .some((words) => words.some((_, i) => terms.every((t, k) => words[i + k] === t))),
    };
  };

  it('are the numbers (not single digits) and rare names of the question, and names of several words whole', () => {
    const q = 'Who won round 3 of the 2006 Six Nations after Instagram?';
    const parts = requiredParts(
      q,
      profileQuestion(q, known),
      idf(['instagram']),
      20000,
      DEFAULT_PARAMS.required,
    );
    assert.deepEqual(
      parts.map((p) => p.term),
      ['2006', 'six', 'nation', 'instagram'],
    );
  });

  it('read "of" inside a name: "Bank of England" needs both its words', () => {
    const q = 'What did the Bank of England do about rates?';
    const parts = requiredParts(q, profileQuestion(q, known), idf([]), 20000, DEFAULT_PARAMS.required);
    assert.deepEqual(
      parts.map((p) => p.term),
      ['bank', 'england'],
    );
  });

  it('turn away an article that lacks a rare name or the year, or holds the year elsewhere', () => {
    const q = 'How many seats did the Conservatives win in the 2010 election?';
    const profile = profileQuestion(q, known);
    const parts = requiredParts(q, profile, idf([]), 20000, DEFAULT_PARAMS.required);
    const terms = profile.terms;
    assert.ok(
      missingParts(parts, article('The Conservatives won many seats in the election.'), terms).length > 0,
    );
    assert.ok(
      0 <
        missingParts(
          parts,
          article(
            'Computer sales will double by 2010. It rained. It rained again. Voters went to the election.',
          ),
          terms,
        ).length,
    );
    assert.deepEqual(
      missingParts(parts, article('In the 2010 election the Conservatives won 306 seats.'), terms),
      [],
    );
  });

  it('read a number after a name as part of it: "PlayStation 4" must be written together', () => {
    const q = 'When did Sony release the PlayStation 4 in Europe?';
    const profile = profileQuestion(q, known);
    const parts = requiredParts(q, profile, idf([]), 20000, DEFAULT_PARAMS.required);
    assert.ok(parts.some((p) => p.kind === 'numbered name' && p.terms.join(' ') === 'playstat 4'));
    assert.ok(
      0 <
        missingParts(
          parts,
          article('The PlayStation Portable goes on sale in Europe. It will cost 4 pounds less'),
          profile.terms,
        ).length,
    );
    assert.deepEqual(
      missingParts(
        parts,
        article('Sony will release the PlayStation 4 in Europe in November'),
        profile.terms,
      ),
      [],
    );
  });

  it('accept another spelling of a name', () => {
    const q = 'How much did Time Warner earn?';
    const profile = profileQuestion(q, () => true);
    const parts = requiredParts(q, profile, idf(['time', 'warner']), 20000, DEFAULT_PARAMS.required);
    assert.deepEqual(missingParts(parts, article('TimeWarner earned $1.13bn.'), profile.terms), []);
  });
});

describe('words named in a relevance note', () => {
  it('leave out generic and very common words', () => {
    const idf = (t: string) => (t === 'xizang' ? 0.1 : 5);
    assert.equal(isInformative(analyze('uses')[0] as string, idf, 100), false);
    assert.equal(isInformative('xizang', idf, 100), false);
    assert.equal(isInformative(analyze('orphans')[0] as string, idf, 100), true);
  });
});
