import { OUTPUT_CHUNK_CHARS } from "@/prisma-free-schema";

/**
 * Output as it arrived, in slices the run event schema accepts. A slice never ends between the
 * two halves of a surrogate pair, so each slice is valid text on its own.
 */
export function outputChunks(text: string, max = OUTPUT_CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + max);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && end - start > 1 && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}
