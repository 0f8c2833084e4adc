/**
 * `array[index]` for numbers read from disk (postings, document lengths, offsets): a damaged file that points
 * outside an array fails here with a RangeError naming the place, instead of reading `undefined` as a number
 * (`as number` would switch the check off and let NaN spread through the scores).
 */
export function at(array: ArrayLike<number>, index: number): number {
  const value = array[index];
  if (value === undefined) throw new RangeError(`index ${index} is outside an array of ${array.length}`);
  return value;
}
