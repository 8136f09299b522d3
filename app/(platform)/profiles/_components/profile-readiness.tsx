import type { TResolution } from "@/prisma-free-schema";
import { readinessOf } from "./readiness";

function CheckIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 shrink-0 text-emerald-600">
      <path fillRule="evenodd" d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z" clipRule="evenodd" />
    </svg>
  );
}

function WarningIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 shrink-0 text-amber-600">
      <path
        fillRule="evenodd"
        d="M8.5 2.9a1.7 1.7 0 0 1 3 0l6.3 11.4A1.7 1.7 0 0 1 16.3 17H3.7a1.7 1.7 0 0 1-1.5-2.7L8.5 2.9ZM10 7a1 1 0 0 0-1 1v3a1 1 0 1 0 2 0V8a1 1 0 0 0-1-1Zm0 8a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
        clipRule="evenodd"
      />
    </svg>
  );
}

/** One profile's readiness for the viewer: the resolver's verdict with an icon, in words. */
export function ProfileReadiness({ resolution, state }: { resolution: TResolution | undefined; state: "loading" | "failed" | "done" }) {
  if (!resolution) {
    return <span className="text-slate-500">{state === "failed" ? "Could not check" : state === "loading" ? "Checking…" : "—"}</span>;
  }
  const { ready, label, detail } = readinessOf(resolution);
  return (
    <span className="block min-w-0">
      <span className={`inline-flex items-center gap-1.5 font-medium ${ready ? "text-emerald-800" : "text-amber-900"}`}>
        {ready ? <CheckIcon /> : <WarningIcon />}
        {ready ? label : `Refused: ${label}`}
      </span>
      <span className="mt-0.5 block max-w-sm text-xs text-slate-600">{detail}</span>
    </span>
  );
}
