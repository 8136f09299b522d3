"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useToast } from "@/app/_components/toaster";
import { downloadText } from "./download";
import { LogLine } from "./log-line";
import { indexOfLine, layoutLog, rowAt, rowKey, type LogRow } from "./log-rows";
import { searchLog } from "./log-search";
import { runLogText, turnOutputText } from "./log-text";
import { LogToolbar } from "./log-toolbar";
import { TurnHeaderRow } from "./turn-header-row";
import { TurnOutcomeRow } from "./turn-outcome-row";
import { hasOutcomeRow, type TurnView } from "./turn-view";
import { useLogPreferences } from "./use-log-preferences";

/** A line's height (leading-5) and a header's, the virtualiser's first guesses before it measures. */
const LINE_PX = 20;
const HEADER_PX = 40;
/** How close to the bottom (px) still counts as "at the bottom" for following new output. */
const STICK_PX = 24;

interface RunLogViewProps {
  runId: string;
  views: readonly TurnView[];
  /** Why the run could not start, when it has no turn to show it at. */
  launchFailure: string | null;
  /** The run takes no more output (failed or ended): "Jump to end" rather than "to live". */
  settled: boolean;
}

/**
 * The run's output, every turn in one virtualised scroller: only the rows on screen are in the
 * page, so a run of 100,000 lines scrolls like one of 100. It follows new output while the reader
 * is at the bottom; scrolling up stops that and offers a way back.
 */
export function RunLogView({ runId, views, launchFailure, settled }: RunLogViewProps) {
  const toast = useToast();
  const [preferences, toggle] = useLogPreferences();
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(() => new Set());
  const [query, setQuery] = useState("");
  const searched = useDeferredValue(query);
  const [matchIndex, setMatchIndex] = useState(0);
  const [target, setTarget] = useState<{ turn: number; line: number; nonce: number }>();
  const [following, setFollowing] = useState(true);
  const scroller = useRef<HTMLDivElement>(null);
  const lastTop = useRef(0);

  const layout = useMemo(
    () => layoutLog(views.map((view) => ({ turn: view.turn, expanded: !collapsed.has(view.turn), hasInput: view.input !== null, lineCount: view.lines.length, hasOutcome: hasOutcomeRow(view) }))),
    [views, collapsed],
  );
  const byTurn = useMemo(() => new Map(views.map((view) => [view.turn, view])), [views]);
  const matches = useMemo(() => searchLog(views, searched), [views, searched]);
  const current = matches.length === 0 ? -1 : Math.min(matchIndex, matches.length - 1);
  const currentMatch = current >= 0 ? matches[current] : undefined;

  // Stable between renders: the virtualiser works out every row's offset again whenever these change, which for
  // 100,000 rows must happen when the rows do, not on every scrolled frame.
  const estimateSize = useCallback(
    (index: number) => {
      const kind = rowAt(layout, index)?.kind;
      return kind === "line" || kind === "empty" ? LINE_PX : kind === "header" ? HEADER_PX : LINE_PX * 2;
    },
    [layout],
  );
  const getItemKey = useCallback(
    (index: number) => {
      const row = rowAt(layout, index);
      return row ? rowKey(row) : index;
    },
    [layout],
  );
  const virtualizer = useVirtualizer({
    count: layout.count,
    getScrollElement: () => scroller.current,
    estimateSize,
    getItemKey,
    overscan: 20,
  });

  // A new turn is what the reader just sent (or is waiting for): show it, wherever they had scrolled.
  const turnCount = views.length;
  const [seenTurns, setSeenTurns] = useState(turnCount);
  if (turnCount !== seenTurns) {
    setSeenTurns(turnCount);
    if (turnCount > seenTurns) setFollowing(true);
  }

  // Follow the tail: new lines, a turn starting or ending, while the reader is at the bottom.
  const tailVersion = views.at(-1)?.version ?? 0;
  useLayoutEffect(() => {
    if (following && layout.count > 0) virtualizer.scrollToIndex(layout.count - 1, { align: "end" });
  }, [following, layout.count, tailVersion, virtualizer]);

  // A match navigated to: its turn opened (same render), then its line brought to the middle.
  useLayoutEffect(() => {
    if (!target) return;
    const index = indexOfLine(layout, target.turn, target.line);
    if (index !== undefined) virtualizer.scrollToIndex(index, { align: "center" });
    // Only a new target scrolls; new output must not pull the reader back to it.
  }, [target]);

  function goTo(index: number) {
    if (matches.length === 0) return;
    const next = (index + matches.length) % matches.length;
    const match = matches[next]!;
    setMatchIndex(next);
    setFollowing(false);
    setCollapsed((shut) => {
      if (!shut.has(match.turn)) return shut;
      const open = new Set(shut);
      open.delete(match.turn);
      return open;
    });
    setTarget({ turn: match.turn, line: match.line, nonce: Date.now() });
  }

  // A new search term goes to its first match, as a browser's find does.
  useEffect(() => {
    setMatchIndex(0);
    if (searched) goTo(0);
  }, [searched]);

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_PX;
    // Only moving up stops following: the virtualiser's own corrections as it measures rows must not.
    const movedUp = element.scrollTop < lastTop.current;
    lastTop.current = element.scrollTop;
    if (atBottom) setFollowing(true);
    else if (movedUp) setFollowing(false);
  }

  async function copy(text: string, what: string) {
    try {
      await navigator.clipboard.writeText(text);
      toast(`Copied ${what}`);
    } catch {
      toast("The browser did not allow copying; download the log instead.", "error");
    }
  }

  function toggleTurn(turn: number) {
    setCollapsed((shut) => {
      const next = new Set(shut);
      if (!next.delete(turn)) next.add(turn);
      return next;
    });
  }

  function rowContent(row: LogRow, view: TurnView): ReactNode {
    switch (row.kind) {
      case "header":
        return (
          <TurnHeaderRow
            view={view}
            expanded={!collapsed.has(view.turn)}
            onToggle={() => toggleTurn(view.turn)}
            onCopy={() => void copy(turnOutputText(view), `turn ${view.turn}'s output`)}
            onDownload={() => downloadText(`${runId}-turn-${view.turn}.log`, turnOutputText(view))}
          />
        );
      case "input":
        return (
          <p className="whitespace-pre-wrap break-words px-3 pb-1 pt-2 text-sky-300">
            <span aria-hidden="true" className="select-none text-slate-500">
              ${" "}
            </span>
            {view.input}
          </p>
        );
      case "empty":
        return <p className="px-3 text-slate-500">{view.running ? "Waiting for output…" : "No output."}</p>;
      case "outcome":
        return <TurnOutcomeRow view={view} />;
      case "line": {
        const line = view.lines[row.line]!;
        const here = currentMatch && currentMatch.turn === row.turn && currentMatch.line === row.line ? currentMatch.start : null;
        return (
          <LogLine
            line={line}
            number={row.line + 1}
            showNumber={preferences.lineNumbers}
            showTime={preferences.timestamps}
            wrap={preferences.wrap}
            query={searched}
            current={here}
          />
        );
      }
    }
  }

  // Each turn's output lines sit in a region of their own, so "Turn 2 output" can be found and read;
  // the region is only a grouping: its rows are positioned by the scroller's content box.
  const rows: ReactNode[] = [];
  let group: { turn: number; rows: ReactNode[] } | undefined;
  const closeGroup = () => {
    if (group) rows.push(<section key={`output-${group.turn}`} aria-label={`Turn ${group.turn} output`}>{group.rows}</section>);
    group = undefined;
  };
  for (const item of virtualizer.getVirtualItems()) {
    const row = rowAt(layout, item.index);
    const view = row ? byTurn.get(row.turn) : undefined;
    if (!row || !view) continue;
    const node = (
      <div
        key={item.key}
        data-index={item.index}
        ref={virtualizer.measureElement}
        className={`absolute left-0 top-0 ${preferences.wrap ? "w-full" : "w-max min-w-full"}`}
        style={{ transform: `translateY(${item.start}px)` }}
      >
        {rowContent(row, view)}
      </div>
    );
    if (row.kind === "line" || row.kind === "empty") {
      if (group?.turn !== row.turn) {
        closeGroup();
        group = { turn: row.turn, rows: [] };
      }
      group.rows.push(node);
    } else {
      closeGroup();
      rows.push(node);
    }
  }
  closeGroup();

  return (
    <section aria-label="Run log" className="relative flex h-[max(24rem,calc(100dvh-15rem))] flex-col overflow-hidden rounded-lg bg-slate-950 ring-1 ring-slate-800">
      <LogToolbar
        query={query}
        onQuery={setQuery}
        matchCount={matches.length}
        current={current}
        onStep={(step) => goTo(current + step)}
        preferences={preferences}
        onToggle={toggle}
        onCopy={() => void copy(runLogText(views), "the run's log")}
        onDownload={() => downloadText(`${runId}.log`, runLogText(views))}
      />
      {/* Focusable, so the log scrolls from the keyboard too. */}
      <div
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        data-testid="run-log-scroller"
        className="relative min-h-0 flex-1 overflow-auto font-mono text-xs leading-5 text-slate-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500"
      >
        {views.length === 0 ? (
          launchFailure ? (
            <div className="m-3 rounded-md border border-red-900 bg-red-950/60 px-3 py-2 font-sans text-sm">
              <p className="font-semibold text-red-200">The run could not start</p>
              <p className="mt-1 text-red-100">{launchFailure}</p>
            </div>
          ) : (
            <p className="px-3 py-6 text-center font-sans text-sm text-slate-400">No turn has started yet.</p>
          )
        ) : (
          <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
            {rows}
          </div>
        )}
      </div>
      {!following && layout.count > 0 ? (
        <button
          type="button"
          onClick={() => setFollowing(true)}
          className="absolute bottom-4 right-4 rounded-full bg-brand-600 px-3.5 py-1.5 font-sans text-sm font-medium text-white shadow-lg hover:bg-brand-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-white"
        >
          {settled ? "Jump to end" : "Jump to live"} <span aria-hidden="true">↓</span>
        </button>
      ) : null}
    </section>
  );
}
