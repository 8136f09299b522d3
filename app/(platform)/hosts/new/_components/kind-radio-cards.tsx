"use client";

import type { THostKind } from "@/prisma-free-schema";
import { HOST_KIND_LABELS, HOST_KINDS } from "@/prisma-free-schema/vocabulary";
import { FieldError } from "@/app/_components/field-error";
import { RadioCard } from "../../../_components/radio-card";

const DESCRIPTIONS: Record<THostKind, string> = {
  kubernetes: "A small operator in a cluster you run (AKS, EKS, GKE or on-premises) launches sandboxes as pods.",
  docker: "An operator on a Docker engine you control, such as Docker Desktop. The only host that keeps a workspace between runs.",
};

export function KindRadioCards({ value, onChange, error }: { value: THostKind; onChange: (kind: THostKind) => void; error?: string | undefined }) {
  return (
    <fieldset aria-describedby={error ? "host-kind-error" : undefined}>
      <legend className="text-sm font-medium text-slate-700">Kind</legend>
      <div className="mt-2 grid gap-3 sm:grid-cols-2">
        {HOST_KINDS.map((kind) => (
          <RadioCard
            key={kind}
            id={`host-kind-${kind}`}
            name="kind"
            value={kind}
            checked={value === kind}
            onChange={() => onChange(kind)}
            label={HOST_KIND_LABELS[kind]}
            description={DESCRIPTIONS[kind]}
            className="p-4"
          />
        ))}
      </div>
      <FieldError id="host-kind-error" message={error} />
    </fieldset>
  );
}
