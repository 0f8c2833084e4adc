import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitSentences } from '../src/ingest/sentences.js';
import { DEFAULT_PARAMS } from '../src/search/pipeline/params.js';
import { matchedQuestionTerms, profileQuestion } from '../src/search/pipeline/question.js';
import { pickQuote, type QuoteInput } from '../src/search/pipeline/quote.js';
import { analyze } from '../src/text/terms.js';

/**
 * A quote picker input built from plain text: sentences split as ingest splits them, every word equally
 * rare except those listed as common, and no similarity of meaning unless given (as a static model
 * without meaning would give none).
 */
function input(
  title: string,
  body: string,
  question: string,
  options: { common?: string[]; similarity?: (text: string) => number; maxSentences?: number } = {},
): QuoteInput {
  const spans = splitSentences(body);
  const sentences = spans.flatMap((s) => [s.start, s.end]);
  const vocabulary = new Set(analyze(`${title} ${body}`));
  const common = new Set((options.common ?? []).flatMap((w) => analyze(w)));
  return {
    body,
    sentences,
    termsOf: (s) => analyze(body.slice(sentences[2 * s], sentences[2 * s + 1])),
    similarity: (s) => options.similarity?.(body.slice(sentences[2 * s], sentences[2 * s + 1])) ?? 0,
    idf: (term) => (common.has(term) ? 0.5 : 4),
    question: profileQuestion(question, (term) => vocabulary.has(term)),
    titleTerms: new Set(analyze(title)),
    maxSentences: options.maxSentences,
  };
}

const quoted = (i: QuoteInput) => {
  const q = pickQuote(i, DEFAULT_PARAMS.sentence);
  return i.body.slice(q.start, q.end);
};

const profits = [
  'Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the three months to December.',
  'The firm, which is now one of the biggest investors in Google, benefited from sales of high-speed internet connections.',
  "Time Warner's quarterly profits will rise again next year, analysts expect.",
  'But its film division saw profits slump 27% to $284m, helped by box-office flops Alexander and Catwoman.',
].join(' ');

describe('the quote picker', () => {
  it('quotes the sentence holding the asked-for amount, not the one repeating the question', () => {
    const text = quoted(
      input(
        'Ad sales boost Time Warner profit',
        profits,
        "How much did Time Warner's quarterly profit rise?",
      ),
    );
    // The quote is led by the sentence with the amount (neighbours the sentence model finds likely may follow).
    assert.match(text, /^Quarterly profits at US media giant TimeWarner jumped 76% to \$1\.13bn/);
  });

  it('matches words written together in the article and apart in the question', () => {
    const i = input('Media results', profits, "How much did Time Warner's quarterly profit rise?");
    const lead = analyze('Quarterly profits at US media giant TimeWarner jumped 76%.');
    assert.deepEqual(matchedQuestionTerms(lead, i.question).sort(), [
      'profit',
      'quarterli',
      'time',
      'warner',
    ]);
  });

  it('counts a number next to what is counted above other numbers', () => {
    const body = [
      'South Korea will boost state spending next year in an effort to create jobs.',
      'It has earmarked 100 trillion won for the first six months of 2005.',
      'It aims to create 400,000 jobs and will focus on infrastructure and home building.',
    ].join(' ');
    const text = quoted(
      input('S Korea spending boost', body, 'How many jobs does South Korea hope to create?', {
        maxSentences: 1,
      }),
    );
    assert.equal(text, 'It aims to create 400,000 jobs and will focus on infrastructure and home building.');
  });

  it("quotes the count of what is asked, not the count of another thing near the question's words", () => {
    const body = [
      "More than 20 Jonesboro ministers urged music fans not to buy tickets for Nelly's concert.",
      '"Jonesboro is a wonderful city," said the Reverend Adrian Rodgers.',
      'But a venue spokesman said more than 5,500 tickets had been sold so far.',
    ].join(' ');
    const text = quoted(
      input(
        'Church urges Nelly show boycott',
        body,
        "How many tickets had been sold for Nelly's concert in Jonesboro?",
        {
          maxSentences: 1,
        },
      ),
    );
    assert.equal(text, 'But a venue spokesman said more than 5,500 tickets had been sold so far.');
  });

  it('quotes a figure over an order of magnitude ("millions of dollars")', () => {
    const body = [
      'Microsoft is seeking millions in dollars in damages from OptInRealBig under anti-spam laws.',
      'OptInRealBig listed debts of more than $50m, which included the $46m that Microsoft is seeking.',
    ].join(' ');
    const text = quoted(
      input(
        'Anti-spam laws bite spammer hard',
        body,
        "How much is Microsoft seeking in damages from the spammer's company?",
        {
          maxSentences: 1,
        },
      ),
    );
    assert.match(text, /the \$46m that Microsoft is seeking/);
  });

  it('quotes the words an abbreviation stands for, not the sentence naming it with other names', () => {
    const body = [
      'Now Wilson believes rap act Raw T - signed to his F4 label - will "complete the hat-trick".',
      '"I went to see this group, Raw T - which stands for Realise And Witness Talent - and we were blown away."',
    ].join(' ');
    const text = quoted(
      input('Mogul Wilson backing UK rap band', body, 'What does the name of the rap act Raw T stand for?', {
        maxSentences: 1,
      }),
    );
    assert.match(text, /Realise And Witness Talent/);
  });

  it('quotes the comparison when asked how one thing compares with another', () => {
    const body = [
      "Shares in UK drinks firm Allied Domecq have risen on speculation of a takeover by France's Pernod Ricard.",
      'In terms of market value, Pernod is about 9% smaller than Allied Domecq.',
    ].join(' ');
    const text = quoted(
      input(
        'Pernod takeover talk lifts Domecq',
        body,
        "How does Pernod Ricard's market value compare with Allied Domecq's?",
        {
          common: ['market', 'value'],
          maxSentences: 1,
        },
      ),
    );
    assert.equal(text, 'In terms of market value, Pernod is about 9% smaller than Allied Domecq.');
  });

  it('counts words the article repeats in sentence after sentence for less than words found once', () => {
    const body = [
      'A former executive at the London offices of Merrill Lynch has now lost her £7.5m case.',
      'Merrill Lynch said the tribunal had been fair.',
      'Her victory is likely to cap her compensation to about £55,000.',
      'Merrill Lynch denied her claims.',
      'Merrill Lynch said she lacked leadership skills.',
      'Merrill Lynch had told the tribunal her division was losing money.',
    ].join(' ');
    const text = quoted(
      input(
        'Banker loses sexism claim',
        body,
        'How much compensation is the former Merrill Lynch executive likely to get?',
        { similarity: (t) => (t.startsWith('Her victory') ? 0.77 : 0.7), maxSentences: 1 },
      ),
    );
    assert.equal(text, 'Her victory is likely to cap her compensation to about £55,000.');
  });

  it("lets title words find the article but not pick the sentence: the one with the question's other words wins", () => {
    const body = [
      'Umbro profits were the talk of the City, Umbro said.',
      'The sportswear firm reported its annual profit on Thursday.',
    ].join(' ');
    const text = quoted(
      input('Umbro profits lifted', body, "What happened to Umbro's annual profit?", { maxSentences: 1 }),
    );
    assert.equal(text, 'The sportswear firm reported its annual profit on Thursday.');
  });

  it('takes the next sentence when the best match names the subject and the next one holds the answer', () => {
    const body = [
      'In particular, Xi put Nang County on his itinerary, even though locals tried to talk him out of visiting it because the mountain roads there were treacherous in every season, and the journey from the regional capital took two long days by car.',
      '"Anyone but me has the right to flinch," Xi insisted.',
      'He later met officials.',
    ].join(' ');
    const text = quoted(
      input('Xi story', body, 'What did Xi reply when locals tried to talk him out of visiting Nang County?'),
    );
    assert.match(text, /Anyone but me has the right to flinch/);
  });

  it('gives whole sentences, exactly as written, one to three of them', () => {
    const i = input('Media results', profits, 'What happened to Time Warner profits?');
    const q = pickQuote(i, DEFAULT_PARAMS.sentence);
    const starts = i.sentences.filter((_, k) => k % 2 === 0);
    const ends = i.sentences.filter((_, k) => k % 2 === 1);
    assert.ok(starts.includes(q.start) && ends.includes(q.end));
    assert.ok(q.last - q.first + 1 >= 1 && q.last - q.first + 1 <= 3);
    assert.equal(
      pickQuote({ ...i, maxSentences: 1 }, DEFAULT_PARAMS.sentence).last,
      pickQuote({ ...i, maxSentences: 1 }, DEFAULT_PARAMS.sentence).first,
    );
  });

  it('leans on similarity of meaning when no sentence shares words with the question', () => {
    const body =
      'The weather was mild. Li Ganjie presided over the conference and gave a speech. Lunch followed.';
    const text = quoted(
      input('Meeting in Hotan', body, 'Who chaired the meeting?', {
        similarity: (t) => (t.startsWith('Li Ganjie') ? 0.8 : 0.2),
        maxSentences: 1,
      }),
    );
    assert.equal(text, 'Li Ganjie presided over the conference and gave a speech.');
  });
});
