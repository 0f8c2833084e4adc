import { describeError, errorCode } from '../errors.js';

/** True for errors meaning the disk (or the user's quota) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = errorCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  return /no space left on device|disk quota exceeded/i.test(describeError(error));
}
