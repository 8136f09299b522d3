import type { THostView } from "@/prisma-free-schema";
import { notReadyReason, READINESS_FACTS } from "@/prisma-free-schema/vocabulary";
import { type FactVerdict, orderedFacts } from "./health-fact-words";

/** A mark and a word beside each fact, so good and bad do not rest on colour alone. */
const VERDICTS: Record<FactVerdict, { mark: string; word: string; tone: string }> = {
  good: { mark: "✓", word: "OK", tone: "bg-emerald-100 text-emerald-800" },
  bad: { mark: "✕", word: "Problem", tone: "bg-red-100 text-red-800" },
  info: { mark: "i", word: "Info", tone: "bg-slate-100 text-slate-600" },
};

/**
 * What the operator reported at its last check-in: first whether the host can launch (and if
 * not, why, as the operator said it; launches there are refused with the same words), then each
 * fact as a label and a sentence, problems first.
 */
export function HealthFacts({ health }: { health: THostView["health"] }) {
  const entries = Object.entries(health).filter(([key]) => key !== READINESS_FACTS.ready && key !== READINESS_FACTS.notReady);
  if (entries.length === 0) return <p className="text-sm text-slate-500">No health facts reported yet: they arrive with the operator&apos;s first check-in.</p>;
  const notReady = notReadyReason(health);
  return (
    <div className="space-y-3">
      {notReady ? (
        <p role="status" data-testid="host-not-ready" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <span className="font-semibold">Not ready to launch:</span> {notReady}
        </p>
      ) : health[READINESS_FACTS.ready] === true ? (
        <p role="status" data-testid="host-ready" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Ready to launch sandboxes.
        </p>
      ) : null}
      <ul aria-label="Health facts" className="divide-y divide-slate-100">
        {orderedFacts(entries).map((fact) => {
          const verdict = VERDICTS[fact.verdict];
          return (
            <li key={fact.label} className="flex items-start gap-3 py-2">
              <span aria-hidden="true" className={`mt-0.5 inline-flex size-5 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${verdict.tone}`}>
                {verdict.mark}
              </span>
              <div className="min-w-0">
                <p className="text-sm font-medium text-slate-900">
                  {fact.label}
                  <span className="sr-only"> ({verdict.word})</span>
                </p>
                <p className="break-words text-sm text-slate-600">{fact.sentence}</p>
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
