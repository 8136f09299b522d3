"use client";

import { useCallback, useState } from "react";

export interface LogPreferences {
  timestamps: boolean;
  lineNumbers: boolean;
  wrap: boolean;
}

const KEY = "discoparrot.runLog";
const DEFAULTS: LogPreferences = { timestamps: false, lineNumbers: false, wrap: true };

function stored(): LogPreferences {
  try {
    const value = JSON.parse(window.localStorage.getItem(KEY) ?? "{}") as Partial<Record<keyof LogPreferences, unknown>>;
    return {
      timestamps: typeof value.timestamps === "boolean" ? value.timestamps : DEFAULTS.timestamps,
      lineNumbers: typeof value.lineNumbers === "boolean" ? value.lineNumbers : DEFAULTS.lineNumbers,
      wrap: typeof value.wrap === "boolean" ? value.wrap : DEFAULTS.wrap,
    };
  } catch {
    return DEFAULTS;
  }
}

/** How the reader likes the log shown, remembered in this browser across runs. The log renders in the browser only, so reading storage first is safe. */
export function useLogPreferences(): [LogPreferences, (key: keyof LogPreferences) => void] {
  const [preferences, setPreferences] = useState<LogPreferences>(() => (typeof window === "undefined" ? DEFAULTS : stored()));
  const toggle = useCallback((key: keyof LogPreferences) => {
    setPreferences((current) => {
      const next = { ...current, [key]: !current[key] };
      try {
        window.localStorage.setItem(KEY, JSON.stringify(next));
      } catch {
        // Private windows may refuse storage: the choice then lasts for this page.
      }
      return next;
    });
  }, []);
  return [preferences, toggle];
}
