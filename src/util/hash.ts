import { createHash } from 'node:crypto';

/** Hex SHA-256 of a string (as UTF-8) or of bytes, optionally shortened. */
export function sha256(text: string | Uint8Array, length = 64): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
