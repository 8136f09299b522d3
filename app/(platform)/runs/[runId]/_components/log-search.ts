/** Where a search term occurs in the log: the turn, the line within it, and the characters. */
export interface LogMatch {
  turn: number;
  line: number;
  start: number;
  end: number;
}

/** Past this many the count says "10,000+": enough to navigate, bounded for a term found on every line. */
export const MAX_MATCHES = 10_000;

/** Every place `query` occurs in a line's text, ignoring case. */
export function matchesIn(text: string, query: string): { start: number; end: number }[] {
  if (!query) return [];
  const haystack = text.toLowerCase();
  const needle = query.toLowerCase();
  const found: { start: number; end: number }[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
    found.push({ start: at, end: at + needle.length });
  }
  return found;
}

/** The matches through the whole run, in reading order, at most MAX_MATCHES. */
export function searchLog(turns: readonly { turn: number; lines: readonly { text: string }[] }[], query: string): LogMatch[] {
  const matches: LogMatch[] = [];
  if (!query) return matches;
  const needle = query.toLowerCase();
  for (const { turn, lines } of turns) {
    for (let line = 0; line < lines.length; line += 1) {
      const text = lines[line]!.text;
      // Most lines do not match: one lowercase and one indexOf settles them.
      if (!text.toLowerCase().includes(needle)) continue;
      for (const range of matchesIn(text, query)) {
        matches.push({ turn, line, ...range });
        if (matches.length >= MAX_MATCHES) return matches;
      }
    }
  }
  return matches;
}
