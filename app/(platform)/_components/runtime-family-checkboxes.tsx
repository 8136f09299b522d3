"use client";

import { type ReactNode, useId } from "react";
import type { TRuntimeFamily } from "@/prisma-free-schema";
import { RUNTIME_FAMILIES } from "@/prisma-free-schema/vocabulary";
import { FieldError } from "@/app/_components/field-error";

interface RuntimeFamilyCheckboxesProps {
  value: readonly TRuntimeFamily[];
  onChange: (families: TRuntimeFamily[]) => void;
  /** One line under the legend: what ticking a family means here. */
  hint?: ReactNode;
  error?: string | undefined;
  disabled?: boolean;
}

/** The runtime families as a group of checkboxes, each labelled with the family's own name. */
export function RuntimeFamilyCheckboxes({ value, onChange, hint, error, disabled }: RuntimeFamilyCheckboxesProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;

  function toggle(family: TRuntimeFamily, checked: boolean) {
    const next = checked ? [...value, family] : value.filter((held) => held !== family);
    onChange(RUNTIME_FAMILIES.filter((candidate) => next.includes(candidate)));
  }

  const describedBy = [hint ? hintId : undefined, error ? errorId : undefined].filter(Boolean).join(" ") || undefined;

  return (
    <fieldset aria-describedby={describedBy} disabled={disabled}>
      <legend className="text-sm font-medium text-slate-700">Runtime families</legend>
      {hint ? (
        <p id={hintId} className="mt-1 text-sm text-slate-500">
          {hint}
        </p>
      ) : null}
      <div className="mt-2 flex flex-wrap gap-2">
        {RUNTIME_FAMILIES.map((family) => {
          const inputId = `${id}-${family}`;
          const checked = value.includes(family);
          return (
            <div
              key={family}
              className={`flex items-center gap-2 rounded-md border px-3 py-2 ${checked ? "border-brand-500/40 bg-brand-50/60" : "border-slate-200 bg-white"}`}
            >
              <input
                id={inputId}
                type="checkbox"
                checked={checked}
                onChange={(event) => toggle(family, event.target.checked)}
                className="h-4 w-4 shrink-0 rounded border-slate-300 accent-brand-600 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 disabled:opacity-60"
              />
              <label htmlFor={inputId} className="font-mono text-sm text-slate-900">
                {family}
              </label>
            </div>
          );
        })}
      </div>
      <FieldError id={errorId} message={error} />
    </fieldset>
  );
}
