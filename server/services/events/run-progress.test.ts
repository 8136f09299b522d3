import { describe, expect, it } from "vitest";
import { emptyProgress, highestSeq, holes, isStored, withStored } from "./run-progress";

const start = () => emptyProgress("run_aaaaaaaaaaaaaaaaaaaa", "ws_aaaaaaaaaaaaaaaaaaaa");

describe("a run's progress marker", () => {
  it("moves the watermark over events stored in order, and keeps what arrives past a hole apart until the hole fills", () => {
    const inOrder = withStored(start(), [1, 2, 3]);
    expect(inOrder).toMatchObject({ contiguousSeq: 3, storedAbove: [], hasHoles: false });

    const pastHole = withStored(inOrder, [6, 7, 10]);
    expect(pastHole).toMatchObject({ contiguousSeq: 3, storedAbove: [[6, 7], [10, 10]], hasHoles: true });
    expect(holes(pastHole)).toEqual([{ fromSeq: 4, toSeq: 5 }, { fromSeq: 8, toSeq: 9 }]);
    expect(highestSeq(pastHole)).toBe(10);
    expect([4, 6, 8, 10].map((seq) => isStored(pastHole, seq))).toEqual([false, true, false, true]);

    const firstFilled = withStored(pastHole, [4, 5]);
    expect(firstFilled).toMatchObject({ contiguousSeq: 7, storedAbove: [[10, 10]], hasHoles: true });
    expect(withStored(firstFilled, [9, 8])).toMatchObject({ contiguousSeq: 10, storedAbove: [], hasHoles: false });
  });

  it("has a hole from 1 when the first events to arrive are later ones", () => {
    const late = withStored(start(), [3, 4]);
    expect(late).toMatchObject({ contiguousSeq: 0, storedAbove: [[3, 4]] });
    expect(holes(late)).toEqual([{ fromSeq: 1, toSeq: 2 }]);
  });
});
