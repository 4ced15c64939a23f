// A readyLine (a regular expression) as plain text, for tools that wait for a substring.

/** Characters that make a regular expression more than its text. */
const META = new Set(['.', '^', '$', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|']);

/** The text `source` matches when it has no operators (escaped characters allowed: `\.` is a dot); null when it has any. */
export function regexAsText(source: string): string | null {
  let text = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      const next = source[i + 1];
      // \d, \s, \b, \w and the like are classes, not characters
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return null;
      text += next;
      i++;
    } else if (META.has(c)) return null;
    else text += c;
  }
  return text.length > 0 ? text : null;
}
