import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { questionWords } from '../src/discord/question-text.js';

describe('question words', () => {
  it('takes out user, role and channel mentions and keeps the words around them', () => {
    assert.equal(
      questionWords(
        '<@123456789012345678> how many heart patients <@!234567890123456789> were <@&345678901234567890> treated in <#456789012345678901>?',
      ),
      'how many heart patients were treated in ?',
    );
  });

  it('takes out custom emoji, animated ones included, slash-command mentions and timestamps', () => {
    assert.equal(
      questionWords(
        '<:heart:112233445566778899> orphans <a:party_blob:998877665544332211> supported </ask:1234567890123456789> since <t:1700000000:R> <t:1700000000>',
      ),
      'orphans supported since',
    );
  });

  it('takes out @everyone and @here, leaves e-mail addresses and plain angle brackets alone', () => {
    assert.equal(
      questionWords('@everyone @here budget for press@example.org <2024>'),
      'budget for press@example.org <2024>',
    );
  });

  it('leaves a question without markup as it is (white space collapsed)', () => {
    assert.equal(questionWords('  How many   heart patients?  '), 'How many heart patients?');
  });

  it('a question that is only a mention is empty', () => {
    assert.equal(questionWords('<@123456789012345678>'), '');
  });
});
