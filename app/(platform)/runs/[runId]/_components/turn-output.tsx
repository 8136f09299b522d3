"use client";

import { memo, useLayoutEffect, useRef } from "react";
import type { AnsiColor, AnsiSegment } from "@/app/_lib/ansi";
import type { TerminalBuffer, TerminalLine } from "@/app/_lib/terminal-buffer";

// Whole class names, so Tailwind finds them: a palette readable on the dark panel.
const FG: Record<AnsiColor, string> = {
  black: "text-slate-500",
  red: "text-red-400",
  green: "text-emerald-400",
  yellow: "text-amber-300",
  blue: "text-sky-400",
  magenta: "text-fuchsia-400",
  cyan: "text-cyan-300",
  white: "text-slate-200",
  brightBlack: "text-slate-400",
  brightRed: "text-red-300",
  brightGreen: "text-emerald-300",
  brightYellow: "text-yellow-200",
  brightBlue: "text-sky-300",
  brightMagenta: "text-fuchsia-300",
  brightCyan: "text-cyan-200",
  brightWhite: "text-white",
};

const BG: Record<AnsiColor, string> = {
  black: "bg-slate-950",
  red: "bg-red-800",
  green: "bg-emerald-800",
  yellow: "bg-amber-700",
  blue: "bg-sky-800",
  magenta: "bg-fuchsia-800",
  cyan: "bg-cyan-800",
  white: "bg-slate-300",
  brightBlack: "bg-slate-700",
  brightRed: "bg-red-600",
  brightGreen: "bg-emerald-600",
  brightYellow: "bg-amber-500",
  brightBlue: "bg-sky-600",
  brightMagenta: "bg-fuchsia-600",
  brightCyan: "bg-cyan-600",
  brightWhite: "bg-white",
};

function segmentClass({ style }: AnsiSegment): string | undefined {
  const classes = [style.fg ? FG[style.fg] : null, style.bg ? BG[style.bg] : null, style.bold ? "font-bold" : null].filter(Boolean);
  return classes.length ? classes.join(" ") : undefined;
}

/** One line; plain text stays a bare text node, so the line's element is the one that holds its words. */
const OutputLine = memo(function OutputLine({ line }: { line: TerminalLine }) {
  return (
    <div className={line.stream === "stderr" ? "min-h-5 whitespace-pre-wrap break-words text-red-300" : "min-h-5 whitespace-pre-wrap break-words"}>
      {line.segments.map((segment, index) => {
        const className = segmentClass(segment);
        return className ? (
          <span key={index} className={className}>
            {segment.text}
          </span>
        ) : (
          segment.text
        );
      })}
    </div>
  );
});

/** How close to the bottom (px) still counts as "at the bottom" for following new output. */
const STICK_PX = 24;

/** A turn's process output as a terminal would show it; follows new lines while the reader is at the bottom. */
export function TurnOutput({ turn, terminal, running }: { turn: number; terminal: TerminalBuffer; running: boolean }) {
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [terminal]);

  function onScroll() {
    const element = scroller.current;
    if (element) following.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_PX;
  }

  return (
    <section aria-label={`Turn ${turn} output`} className="overflow-hidden rounded-md bg-slate-950 ring-1 ring-slate-800">
      {/* Focusable, so the output scrolls from the keyboard too. */}
      <div
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        className="max-h-[28rem] overflow-auto px-4 py-3 font-mono text-xs leading-5 text-slate-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500"
      >
        {terminal.dropped > 0 ? <p className="text-slate-500">… {terminal.dropped.toLocaleString()} earlier lines not shown</p> : null}
        {terminal.lines.length === 0 ? (
          <p className="text-slate-500">{running ? "Waiting for output…" : "No output."}</p>
        ) : (
          terminal.lines.map((line, index) => <OutputLine key={terminal.dropped + index} line={line} />)
        )}
      </div>
    </section>
  );
}
