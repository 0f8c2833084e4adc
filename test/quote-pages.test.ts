import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageSpan } from '../src/corpus/pages.js';
import { splitSentences } from '../src/ingest/sentences.js';
import { pickQuoteOnOnePage } from '../src/search/pipeline/page-quote.js';
import { DEFAULT_PARAMS } from '../src/search/pipeline/params.js';
import { profileQuestion } from '../src/search/pipeline/question.js';
import { pickQuote, type QuoteInput } from '../src/search/pipeline/quote.js';
import { analyze } from '../src/text/terms.js';

/** A quote picker input for a body, every word equally rare, no similarity of meaning. */
function input(body: string, question: string): QuoteInput {
  const sentences = splitSentences(body).flatMap((s) => [s.start, s.end]);
  const vocabulary = new Set(analyze(body));
  return {
    body,
    sentences,
    termsOf: (s) => analyze(body.slice(sentences[2 * s], sentences[2 * s + 1])),
    similarity: () => 0,
    idf: () => 4,
    question: profileQuestion(question, (term) => vocabulary.has(term)),
    titleTerms: new Set(),
  };
}

function pagesOfSentence(i: QuoteInput, pages: number[]) {
  return (s: number) => pageSpan(pages, i.sentences[2 * s] as number, i.sentences[2 * s + 1] as number);
}

describe('quotes from paged documents', () => {
  const page1 = 'The tram survey covers every journey of the year.';
  const page2 = 'Trams ran late on 61 days, mostly in the winter snow.';
  const body = `${page1}\n${page2}`;
  const pages = [0, page1.length + 1];

  it('keep to the page of the answer instead of borrowing context from the page before', () => {
    const i = input(body, 'On how many days did trams run late?');
    const plain = pickQuote(i, DEFAULT_PARAMS.sentence);
    assert.deepEqual(
      pageSpan(pages, plain.start, plain.end),
      { first: 1, last: 2 },
      'the picker alone crosses the break',
    );
    const quote = pickQuoteOnOnePage(i, pagesOfSentence(i, pages), DEFAULT_PARAMS.sentence);
    assert.equal(body.slice(quote.start, quote.end), page2);
    assert.deepEqual(pageSpan(pages, quote.start, quote.end), { first: 2, last: 2 });
  });

  it('still span two pages when the answering sentence itself runs over the break', () => {
    const runOn = 'The council said the trams ran late on 61 days, mostly in the winter snow and ice.';
    const i = input(runOn, 'On how many days did trams run late?');
    const quote = pickQuoteOnOnePage(
      i,
      pagesOfSentence(i, [0, runOn.indexOf('days')]),
      DEFAULT_PARAMS.sentence,
    );
    assert.equal(runOn.slice(quote.start, quote.end), runOn);
    assert.deepEqual(pageSpan([0, runOn.indexOf('days')], quote.start, quote.end), { first: 1, last: 2 });
  });

  it('are picked as before in an article without pages', () => {
    const i = input(body, 'On how many days did trams run late?');
    assert.deepEqual(
      pickQuoteOnOnePage(i, () => null, DEFAULT_PARAMS.sentence),
      pickQuote(i, DEFAULT_PARAMS.sentence),
    );
  });
});
