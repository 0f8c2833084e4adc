import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractQuotes } from '../src/quotes/extract.js';
import { parseQuoteIntent } from '../src/quotes/intent.js';
import { markedSpans } from '../src/quotes/marks.js';
import { matchesSpeaker } from '../src/quotes/speaker-match.js';

/** Quotations of a made-up article as [text, speaker, cue] triples; each text checked against its offsets. */
function quotes(body: string): Array<[string, string | null, string | null]> {
  return extractQuotes(body).map((q) => {
    const text = body.slice(q.start, q.end);
    assert.ok(q.start >= 0 && q.end <= body.length && q.start < q.end);
    return [text, q.speaker, q.cue];
  });
}

describe('quotation marks', () => {
  it('pairs straight, curly, guillemet and low-high marks, and gives the text between them', () => {
    const body = [
      'Ann Pike said: "Straight marks work."',
      'Ann Pike said: “Curly marks work.”',
      'Ann Pike said: «Guillemets work.»',
      'Ann Pike said: „Low-high marks work.“',
    ].join('\n\n');
    assert.deepEqual(
      quotes(body).map((q) => q[0]),
      ['Straight marks work.', 'Curly marks work.', 'Guillemets work.', 'Low-high marks work.'],
    );
  });

  it('ends a quotation reopened within a paragraph before the next opening mark', () => {
    const spans = markedSpans('He said: "First part of it. "Second part of it."');
    assert.deepEqual(
      spans.map((s) => 'He said: "First part of it. "Second part of it."'.slice(s.start, s.end)),
      ['First part of it.', 'Second part of it.'],
    );
  });

  it('never lets a mark missing at a paragraph end swallow the next paragraph', () => {
    const body =
      'Tom Reed said: "We will not stop here\n\nThe council met on Tuesday to discuss the "budget".';
    const found = quotes(body);
    assert.deepEqual(found[0], ['We will not stop here', 'Tom Reed', 'said']);
    assert.ok(!found.some(([text]) => text.includes('council')));
  });

  it('gives one quotation per paragraph for a quotation running over paragraphs', () => {
    const body =
      'Maria Lopez, the mayor, said: "The bridge will open in May.\n\n"It has taken ten years to build, and it was worth every day."';
    assert.deepEqual(quotes(body), [
      ['The bridge will open in May.', 'Maria Lopez', 'said'],
      ['It has taken ten years to build, and it was worth every day.', 'Maria Lopez', null],
    ]);
  });
});

describe('what is a quotation', () => {
  it('leaves out scare quotes, nicknames and titles of works', () => {
    const body =
      'The so-called "smart" meters were installed. Fans call him "The Rocket". ' +
      'She starred in "The Long Night Of Winter" last year. Critics found the plan "unworkable" at best.';
    assert.deepEqual(quotes(body), []);
  });

  it('keeps a short phrase a speech verb attributes', () => {
    const body = 'Paul Grant said the figures were "deeply worrying" for the region.';
    assert.deepEqual(quotes(body), [['deeply worrying', 'Paul Grant', 'said']]);
  });

  it('leaves out a short phrase whose verb is not speech ("calling for")', () => {
    assert.deepEqual(quotes('Unions are calling for an end to the "raw deal" for nurses.'), []);
  });
});

describe('speakers and cues', () => {
  it('splits a quotation interrupted by its cue into two with the same speaker', () => {
    const body = 'Rita Moss was pleased. "We won," Ms Moss said. "Now we rest."';
    assert.deepEqual(quotes(body), [
      ['We won,', 'Rita Moss', 'said'],
      ['Now we rest.', 'Rita Moss', null],
    ]);
  });

  it('gives both halves of a sentence split by its cue the cue', () => {
    const body = 'The sprinter Dan Hale spoke after the race. "Also," he said, "the track was wet."';
    assert.deepEqual(quotes(body), [
      ['Also,', 'Dan Hale', 'said'],
      ['the track was wet.', 'Dan Hale', 'said'],
    ]);
  });

  it('reads a cue that comes before its speaker between the two halves', () => {
    const body =
      'Deputy mayor Ana Sousa opened the market. "The stalls are full," insisted Ms Sousa, "and so is the car park."';
    assert.deepEqual(quotes(body), [
      ['The stalls are full,', 'Ana Sousa', 'insisted'],
      ['and so is the car park.', 'Ana Sousa', 'insisted'],
    ]);
  });

  it('resolves "Mr Blair" and "he" to the fullest name the article gives', () => {
    const body =
      'Tony Blair visited the school on Monday.\n\n"Education matters most," Mr Blair told pupils.\n\n' +
      'He later met teachers. "They do a great job," he said.';
    assert.deepEqual(quotes(body), [
      ['Education matters most,', 'Tony Blair', 'told'],
      ['They do a great job,', 'Tony Blair', 'said'],
    ]);
  });

  it('starts a name at its courtesy title ("On Thursday Mr Blair said")', () => {
    const found = extractQuotes('Tony Blair spoke in Gateshead. On Thursday Mr Blair said: "We will win."');
    assert.deepEqual(
      found.map((q) => [q.speaker, q.speakerText]),
      [['Tony Blair', 'Mr Blair']],
    );
  });

  it('reads the cue after the speaker name too ("said Mr X") and drops courtesy titles', () => {
    const body = 'Sir Alan Parker opened the festival. "Film is for everyone," said Sir Alan.';
    assert.deepEqual(quotes(body), [['Film is for everyone,', 'Alan Parker', 'said']]);
  });

  it('names a role speaker by the name in the next sentence', () => {
    const body =
      '"The deficit will fall next year," the finance minister said. Herve Gaymard added that taxes would not rise.';
    assert.deepEqual(quotes(body), [['The deficit will fall next year,', 'Herve Gaymard', 'said']]);
  });

  it('keeps a role as the speaker when no name is given', () => {
    const body = '"We are looking into the complaints," a company spokeswoman said.';
    assert.deepEqual(quotes(body), [
      ['We are looking into the complaints,', 'a company spokeswoman', 'said'],
    ]);
  });

  it('takes an organisation as a speaker, and spells out its acronym', () => {
    const body =
      'The British Bankers\' Association (BBA) published its figures. "Lending was weaker," the BBA said. ' +
      '"Growth will be slow," according to the OECD.';
    assert.deepEqual(quotes(body), [
      ['Lending was weaker,', "British Bankers' Association", 'said'],
      ['Growth will be slow,', 'OECD', 'according to'],
    ]);
  });

  it('ends a speaker named after the cue at "of" ("said Dr X of the Y Office")', () => {
    const body = '"Some of these claims are doubtful," said Dr Lena Holt of the National Audit Office.';
    assert.deepEqual(quotes(body), [['Some of these claims are doubtful,', 'Lena Holt', 'said']]);
  });

  it('reads a reporting clause at the end of the sentence', () => {
    const body =
      'Ferry operator Ola Berg met the unions. The dispute had caused "real hardship" for islanders, Mr Berg said.';
    assert.deepEqual(quotes(body), [['real hardship', 'Ola Berg', 'said']]);
  });

  it('skips an apposition between the speaker and the cue', () => {
    const body = 'Philip Knight, chairman and chief executive, said: "Demand continues to grow."';
    assert.deepEqual(quotes(body), [['Demand continues to grow.', 'Philip Knight', 'said']]);
  });

  it('names a definite role by the person the article gives it', () => {
    const body =
      'Rovers boss Ian Hollis was angry after the game.\n\n"We were robbed," the Rovers boss said.';
    assert.deepEqual(quotes(body), [['We were robbed,', 'Ian Hollis', 'said']]);
  });

  it('gives "it" the organisation that spoke before', () => {
    const body =
      '"Sales rose by 5%," Acme Holdings said on Monday. In a statement, it added: "We expect more growth."';
    assert.deepEqual(quotes(body), [
      ['Sales rose by 5%,', 'Acme Holdings', 'said'],
      ['We expect more growth.', 'Acme Holdings', 'added'],
    ]);
  });

  it('gives a cue-less quotation after a sentence about someone to that person', () => {
    const body =
      'Council leader Jo Marsh blamed the weather for the delays. "Nobody could have planned for three floods in a month."';
    assert.deepEqual(quotes(body), [
      ['Nobody could have planned for three floods in a month.', 'Jo Marsh', null],
    ]);
  });

  it('gives null, not a guess, when nobody can be the speaker', () => {
    const body = 'The report was published. "It was a dark day," she said.';
    assert.deepEqual(quotes(body), [['It was a dark day,', null, 'said']]);
  });

  it('resolves "he" to the subject of the sentence before, not a person named in passing', () => {
    const body =
      'Coach John Carter praised midfielder Sam Oduya after the match. "It was a fine team display," he said.';
    assert.deepEqual(quotes(body), [['It was a fine team display,', 'John Carter', 'said']]);
  });
});

describe('speaker names as typed', () => {
  it('matches surnames, full names and Mr forms in any case', () => {
    for (const typed of ['blair', 'Tony Blair', 'Mr Blair', 'TONY BLAIR', 'mr. blair'])
      assert.ok(matchesSpeaker(typed, 'Tony Blair'), typed);
    assert.ok(!matchesSpeaker('brown', 'Tony Blair'));
    assert.ok(!matchesSpeaker('Cherie Blair', 'Tony Blair'));
    assert.ok(matchesSpeaker('george bush', 'George W Bush'));
  });
});

describe('"what did X say" questions', () => {
  it('finds the speaker and the topic, and leaves other questions alone', () => {
    assert.deepEqual(parseQuoteIntent('What did Tony Blair say about schools?'), {
      speaker: 'Tony Blair',
      about: 'schools',
    });
    assert.deepEqual(parseQuoteIntent('what has mr gref said'), { speaker: 'mr gref', about: null });
    assert.deepEqual(parseQuoteIntent('Quotes from the BBA on lending'), {
      speaker: 'the BBA',
      about: 'lending',
    });
    assert.equal(parseQuoteIntent('What did he say?'), null);
    assert.equal(parseQuoteIntent('How many ships did the harbour authority report?'), null);
  });
});
