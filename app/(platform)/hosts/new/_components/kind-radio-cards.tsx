"use client";

import { HOST_KIND_LABELS, HOST_KINDS, type THostKind } from "@/prisma-free-schema";
import { FieldError } from "@/app/_components/field-error";

const DESCRIPTIONS: Record<THostKind, string> = {
  kubernetes: "A small operator in a cluster you run (AKS, EKS, GKE or on-premises) launches sandboxes as pods.",
  docker: "An operator on a Docker engine you control, such as Docker Desktop. The only host that keeps a workspace between runs.",
};

export function KindRadioCards({ value, onChange, error }: { value: THostKind; onChange: (kind: THostKind) => void; error?: string | undefined }) {
  return (
    <fieldset aria-describedby={error ? "host-kind-error" : undefined}>
      <legend className="text-sm font-medium text-slate-700">Kind</legend>
      <div className="mt-2 grid gap-3 sm:grid-cols-2">
        {HOST_KINDS.map((kind) => {
          const id = `host-kind-${kind}`;
          const checked = value === kind;
          return (
            <div
              key={kind}
              className={`relative flex gap-3 rounded-lg border p-4 transition-colors has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500 ${
                checked ? "border-brand-500 bg-brand-50/60 ring-1 ring-brand-500" : "border-slate-200 bg-white hover:border-slate-300"
              }`}
            >
              <input
                id={id}
                type="radio"
                name="kind"
                value={kind}
                checked={checked}
                onChange={() => onChange(kind)}
                aria-describedby={`${id}-description`}
                className="relative z-10 mt-0.5 h-4 w-4 shrink-0 accent-brand-600 focus-visible:outline-none"
              />
              <div className="min-w-0">
                {/* The label stretches over the card, so a click anywhere on it picks the kind. */}
                <label htmlFor={id} className="block text-sm font-semibold text-slate-900 after:absolute after:inset-0 after:content-['']">
                  {HOST_KIND_LABELS[kind]}
                </label>
                <p id={`${id}-description`} className="mt-0.5 text-sm text-slate-600">
                  {DESCRIPTIONS[kind]}
                </p>
              </div>
            </div>
          );
        })}
      </div>
      <FieldError id="host-kind-error" message={error} />
    </fieldset>
  );
}
