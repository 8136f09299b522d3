"use client";

import { type CSSProperties, memo } from "react";
import { type AnsiColor, type AnsiStyle, type BasicColor, isBasicColor } from "@/app/_lib/ansi";
import type { TerminalLine } from "@/app/_lib/terminal-buffer";
import { highlightPieces } from "./highlight";
import { matchesIn } from "./log-search";

// Whole class names, so Tailwind finds them: the 16 colours in a palette readable on the dark panel.
const FG: Record<BasicColor, string> = {
  black: "text-slate-500",
  red: "text-red-400",
  green: "text-emerald-400",
  yellow: "text-amber-300",
  blue: "text-sky-400",
  magenta: "text-fuchsia-400",
  cyan: "text-cyan-300",
  white: "text-slate-200",
  "bright-black": "text-slate-400",
  "bright-red": "text-red-300",
  "bright-green": "text-emerald-300",
  "bright-yellow": "text-yellow-200",
  "bright-blue": "text-sky-300",
  "bright-magenta": "text-fuchsia-300",
  "bright-cyan": "text-cyan-200",
  "bright-white": "text-white",
};

const BG: Record<BasicColor, string> = {
  black: "bg-slate-950",
  red: "bg-red-800",
  green: "bg-emerald-800",
  yellow: "bg-amber-700",
  blue: "bg-sky-800",
  magenta: "bg-fuchsia-800",
  cyan: "bg-cyan-800",
  white: "bg-slate-300",
  "bright-black": "bg-slate-700",
  "bright-red": "bg-red-600",
  "bright-green": "bg-emerald-600",
  "bright-yellow": "bg-amber-500",
  "bright-blue": "bg-sky-600",
  "bright-magenta": "bg-fuchsia-600",
  "bright-cyan": "bg-cyan-600",
  "bright-white": "bg-white",
};

const MATCH = { match: "rounded-sm bg-amber-200/40 text-inherit", current: "rounded-sm bg-amber-300 text-slate-950 ring-2 ring-amber-200" } as const;

function classOf(style: AnsiStyle, match: false | "match" | "current"): string | undefined {
  const classes = [
    style.fg && isBasicColor(style.fg) ? FG[style.fg] : null,
    style.bg && isBasicColor(style.bg) ? BG[style.bg] : null,
    style.bold ? "font-bold" : null,
    style.dim ? "opacity-70" : null,
    style.italic ? "italic" : null,
    style.underline ? "underline" : null,
    style.strike ? "line-through" : null,
    match ? MATCH[match] : null,
  ].filter(Boolean);
  return classes.length ? classes.join(" ") : undefined;
}

/**
 * The 256-colour palette and true colour have no class: they are set as style properties, which
 * React applies through the CSSOM in the browser (the log is never rendered on the server, whose
 * style attributes the Content-Security-Policy would refuse).
 */
function exactColors(style: AnsiStyle, match: false | "match" | "current"): CSSProperties | undefined {
  const exact = (color: AnsiColor | null) => (color && !isBasicColor(color) ? color : undefined);
  const color = match === "current" ? undefined : exact(style.fg);
  const backgroundColor = match ? undefined : exact(style.bg);
  return color || backgroundColor ? { color, backgroundColor } : undefined;
}

function timeOf(at: string): string {
  return new Date(at).toLocaleTimeString([], { hour12: false, hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

interface LogLineProps {
  line: TerminalLine;
  number: number;
  showNumber: boolean;
  showTime: boolean;
  wrap: boolean;
  query: string;
  /** Where the current match starts in this line, when it is in this line. */
  current: number | null;
}

/** One output line: its number and time when asked for, its colours, and its search matches marked. */
export const LogLine = memo(function LogLine({ line, number, showNumber, showTime, wrap, query, current }: LogLineProps) {
  const pieces = highlightPieces(line.segments, matchesIn(line.text, query), current);
  return (
    <div className={`flex min-h-5 gap-3 px-3 hover:bg-white/5 ${line.stream === "stderr" ? "text-red-300" : ""}`}>
      {showNumber ? (
        <span aria-hidden="true" className="w-14 shrink-0 select-none text-right text-slate-500">
          {number}
        </span>
      ) : null}
      {showTime ? (
        <time dateTime={line.at} className="shrink-0 select-none text-slate-500">
          {timeOf(line.at)}
        </time>
      ) : null}
      <span className={wrap ? "min-w-0 flex-1 whitespace-pre-wrap break-words" : "whitespace-pre"}>
        {pieces.map((piece, index) => {
          const className = classOf(piece.style, piece.match);
          const style = exactColors(piece.style, piece.match);
          if (piece.match) {
            return (
              <mark key={index} className={className} style={style} data-current-match={piece.match === "current" ? "" : undefined}>
                {piece.text}
              </mark>
            );
          }
          return className || style ? (
            <span key={index} className={className} style={style}>
              {piece.text}
            </span>
          ) : (
            piece.text
          );
        })}
      </span>
    </div>
  );
});
