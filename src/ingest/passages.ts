/** How passages are sized, in tokens of the embedding model (special tokens excluded). */
export interface PassageLimits {
  /** A passage grows sentence by sentence up to about this many tokens. */
  targetTokens: number;
  /** Never more than this: the model's input length minus its special tokens. */
  maxTokens: number;
  /** A passage this long stops at a paragraph end rather than run into the next paragraph. */
  paragraphTokens: number;
}

/** A passage as the inclusive range of sentence indexes it covers. */
export interface PassageRange {
  first: number;
  last: number;
}

/**
 * Groups consecutive sentences into passages that follow paragraphs where they can, stay within the
 * token limits, and overlap by one sentence (the last sentence of a passage opens the next), so an
 * answer that straddles two passages is whole in at least one. Every sentence belongs to some passage.
 * Sentences longer than `maxTokens` must have been split beforehand.
 */
export function groupPassages(tokens: number[], paragraphs: number[], limits: PassageLimits): PassageRange[] {
  const count = tokens.length;
  const passages: PassageRange[] = [];
  let first = 0;
  while (first < count) {
    let last = first;
    let size = tokens[first] ?? 0;
    while (last + 1 < count) {
      const next = tokens[last + 1] ?? 0;
      if (size + next > limits.targetTokens || size + next > limits.maxTokens) break;
      if (paragraphs[last + 1] !== paragraphs[last] && size >= limits.paragraphTokens) break;
      size += next;
      last++;
    }
    passages.push({ first, last });
    if (last === count - 1) break;
    // Overlap by the last sentence, unless that passage would hold nothing new beside it.
    const overlapFits = last > first && (tokens[last] ?? 0) + (tokens[last + 1] ?? 0) <= limits.targetTokens;
    first = overlapFits ? last : last + 1;
  }
  return passages;
}
