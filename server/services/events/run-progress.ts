import { RUN_PROGRESS_ID, type TRunProgress, type TSeqRanges } from "@/prisma-free-schema";

/** A run of seqs the sidecar still owes; ask it to replay `afterSeq: fromSeq - 1, throughSeq: toSeq`. */
export interface SeqRange {
  fromSeq: number;
  toSeq: number;
}

/** A run's marker before its first event. */
export function emptyProgress(runId: string, workspaceId: string): TRunProgress {
  return { id: RUN_PROGRESS_ID, type: "progress", runId, workspaceId, contiguousSeq: 0, storedAbove: [], hasHoles: false, lost: [], updatedAt: new Date(0).toISOString() };
}

/** The marker with its holes given up as lost: the watermark moves to the highest seq stored. */
export function withHolesLost(progress: TRunProgress): TRunProgress {
  const lost = holes(progress).map(({ fromSeq, toSeq }): [number, number] => [fromSeq, toSeq]);
  return { ...progress, contiguousSeq: highestSeq(progress), storedAbove: [], hasHoles: false, lost: [...progress.lost, ...lost], updatedAt: new Date().toISOString() };
}

export function isStored(progress: TRunProgress, seq: number): boolean {
  return seq <= progress.contiguousSeq || progress.storedAbove.some(([from, to]) => seq >= from && seq <= to);
}

/** The highest seq stored. */
export function highestSeq(progress: TRunProgress): number {
  return progress.storedAbove.at(-1)?.[1] ?? progress.contiguousSeq;
}

/** The marker once `seqs` (none of them stored yet) are stored too: ranges merged, the watermark moved up over them. */
export function withStored(progress: TRunProgress, seqs: number[]): TRunProgress {
  const ranges: TSeqRanges = [[1, progress.contiguousSeq] as [number, number], ...progress.storedAbove, ...seqs.map((seq): [number, number] => [seq, seq])]
    .filter(([from, to]) => to >= from)
    .sort((a, b) => a[0] - b[0]);
  const merged: TSeqRanges = [];
  for (const [from, to] of ranges) {
    const last = merged.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  const first = merged[0];
  const contiguousSeq = first && first[0] === 1 ? first[1] : 0;
  const storedAbove = contiguousSeq > 0 ? merged.slice(1) : merged;
  return { ...progress, contiguousSeq, storedAbove, hasHoles: storedAbove.length > 0, updatedAt: new Date().toISOString() };
}

/** The holes: seqs above the watermark that are not stored while something after them is. */
export function holes(progress: TRunProgress): SeqRange[] {
  const missing: SeqRange[] = [];
  let expected = progress.contiguousSeq + 1;
  for (const [from, to] of progress.storedAbove) {
    if (from > expected) missing.push({ fromSeq: expected, toSeq: from - 1 });
    expected = to + 1;
  }
  return missing;
}
