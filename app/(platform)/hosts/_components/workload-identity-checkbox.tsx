"use client";

import { FieldError } from "@/app/_components/field-error";

interface WorkloadIdentityCheckboxProps {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string | undefined;
}

/** Kubernetes only: whether sandbox pods on this host may act as a profile's Azure managed identity. */
export function WorkloadIdentityCheckbox({ id, checked, onChange, error }: WorkloadIdentityCheckboxProps) {
  return (
    <div>
      <div className={`flex gap-3 rounded-md border px-3 py-2.5 ${checked ? "border-brand-500/40 bg-brand-50/60" : "border-slate-200 bg-white"}`}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
          aria-describedby={`${id}-description${error ? ` ${id}-error` : ""}`}
          aria-invalid={error ? true : undefined}
          className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 accent-brand-600 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
        />
        <div className="min-w-0">
          <label htmlFor={id} className="block text-sm font-medium text-slate-900">
            Azure Workload Identity
          </label>
          <p id={`${id}-description`} className="text-sm text-slate-600">
            Sandbox pods may sign in to Azure as a profile&apos;s managed identity, with no stored secret. Turn it on only if the cluster has workload identity enabled.
          </p>
        </div>
      </div>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
