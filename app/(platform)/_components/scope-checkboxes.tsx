"use client";

import { useId } from "react";
import type { TScope } from "@/prisma-free-schema";
import { hasScope, SCOPE_DESCRIPTIONS } from "@/prisma-free-schema/vocabulary";
import { FieldError } from "@/app/_components/field-error";

interface ScopeCheckboxesProps {
  legend: string;
  /** The scopes offered, in display order. */
  options: readonly TScope[];
  value: readonly TScope[];
  onChange: (scopes: TScope[]) => void;
  /** Shown but not changeable: scopes the editor does not hold. */
  locked?: readonly TScope[];
  error?: string;
}

export function ScopeCheckboxes({ legend, options, value, onChange, locked = [], error }: ScopeCheckboxesProps) {
  const id = useId();
  const errorId = `${id}-error`;

  function toggle(scope: TScope, checked: boolean) {
    onChange(checked ? [...value, scope] : value.filter((held) => held !== scope));
  }

  return (
    <fieldset aria-describedby={error ? errorId : undefined}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <div className="mt-2 grid gap-2 sm:grid-cols-2">
        {options.map((scope) => {
          const inputId = `${id}-${scope}`;
          // hosts.manage carries hosts.read, so the implied box is ticked and cannot be unticked alone.
          const implied = !value.includes(scope) && hasScope(value, scope);
          const isLocked = locked.includes(scope);
          const note = implied ? "Included with hosts.manage" : isLocked ? "You do not hold this scope, so you cannot change it" : undefined;
          return (
            <div
              key={scope}
              className={`flex gap-3 rounded-md border px-3 py-2.5 ${value.includes(scope) || implied ? "border-brand-500/40 bg-brand-50/60" : "border-slate-200 bg-white"}`}
            >
              <input
                id={inputId}
                type="checkbox"
                checked={value.includes(scope) || implied}
                disabled={implied || isLocked}
                onChange={(event) => toggle(scope, event.target.checked)}
                aria-describedby={`${inputId}-description`}
                className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 accent-brand-600 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 disabled:opacity-60"
              />
              <div className="min-w-0">
                <label htmlFor={inputId} className="block font-mono text-sm font-medium text-slate-900">
                  {scope}
                </label>
                <p id={`${inputId}-description`} className="text-xs text-slate-600">
                  {SCOPE_DESCRIPTIONS[scope]}
                  {note ? <span className="mt-0.5 block text-slate-500 italic">{note}</span> : null}
                </p>
              </div>
            </div>
          );
        })}
      </div>
      <FieldError id={errorId} message={error} />
    </fieldset>
  );
}
