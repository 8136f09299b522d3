"use client";

import { useEffect, useState } from "react";
import { ui } from "@/app/_lib/ui";

type CopyState = "idle" | "copied" | "failed";

export function CopyButton({ value, label = "Copy", className = ui.secondaryButton }: { value: string; label?: string; className?: string }) {
  const [state, setState] = useState<CopyState>("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      // Clipboard access needs a secure context and permission; the value stays selectable.
      setState("failed");
    }
  }

  return (
    <button type="button" onClick={copy} className={className} aria-live="polite">
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select and copy it" : label}
    </button>
  );
}
