/**
 * Characters that would break or disguise a terminal line: C0 and C1 controls (a newline, an escape
 * sequence), DEL, the Unicode line and paragraph separators, and the bidirectional overrides that can
 * show a name backwards.
 */
function isUnsafe(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * A name (a corpus file, a path) as one terminal line can show it: unchanged when it is plain, else quoted
 * and escaped as a JSON string (`"two\nlines.txt"`), so a listing keeps one entry where one is expected
 * and nothing in a name can move the cursor or recolour the terminal.
 */
export function printableName(name: string): string {
  if (![...name].some((c) => isUnsafe(c.codePointAt(0) as number))) return name;
  return [...JSON.stringify(name)]
    .map((c) => {
      const code = c.codePointAt(0) as number;
      return isUnsafe(code) ? `\\u${code.toString(16).padStart(4, '0')}` : c;
    })
    .join('');
}
