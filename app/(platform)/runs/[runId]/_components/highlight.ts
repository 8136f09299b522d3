import type { AnsiSegment, AnsiStyle } from "@/app/_lib/ansi";

export interface LinePiece {
  text: string;
  style: AnsiStyle;
  /** Inside a search match; "current" for the one navigated to. */
  match: false | "match" | "current";
}

/** A line's coloured segments cut at the search matches, so a match can be marked without losing its colour. */
export function highlightPieces(segments: readonly AnsiSegment[], ranges: readonly { start: number; end: number }[], current: number | null): LinePiece[] {
  if (ranges.length === 0) return segments.map((segment) => ({ ...segment, match: false }));
  const pieces: LinePiece[] = [];
  let offset = 0;
  for (const segment of segments) {
    const segmentEnd = offset + segment.text.length;
    let cursor = offset;
    for (const range of ranges) {
      if (range.end <= cursor || range.start >= segmentEnd) continue;
      const from = Math.max(range.start, cursor);
      const to = Math.min(range.end, segmentEnd);
      if (from > cursor) pieces.push({ text: segment.text.slice(cursor - offset, from - offset), style: segment.style, match: false });
      pieces.push({ text: segment.text.slice(from - offset, to - offset), style: segment.style, match: range.start === current ? "current" : "match" });
      cursor = to;
    }
    if (cursor < segmentEnd) pieces.push({ text: segment.text.slice(cursor - offset), style: segment.style, match: false });
    offset = segmentEnd;
  }
  return pieces;
}
