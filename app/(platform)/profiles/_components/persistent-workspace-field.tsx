"use client";

import { FieldError } from "@/app/_components/field-error";

export function PersistentWorkspaceField({ checked, onChange, error }: { checked: boolean; onChange: (checked: boolean) => void; error?: string | undefined }) {
  return (
    <div>
      <div className={`flex gap-3 rounded-md border px-3 py-2.5 ${checked ? "border-brand-500/40 bg-brand-50/60" : "border-slate-200 bg-white"}`}>
        <input
          id="profile-persistent-workspace"
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
          aria-describedby={`profile-persistent-workspace-description${error ? " profile-persistent-workspace-error" : ""}`}
          aria-invalid={error ? true : undefined}
          className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 accent-brand-600 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 disabled:opacity-60"
        />
        <div className="min-w-0">
          <label htmlFor="profile-persistent-workspace" className="block text-sm font-medium text-slate-900">
            Persistent workspace
          </label>
          <p id="profile-persistent-workspace-description" className="text-sm text-slate-600">
            Keeps the sandbox&apos;s workspace on disk between runs, so the next run picks up where the last left off. For Local Docker hosts only.
          </p>
        </div>
      </div>
      <FieldError id="profile-persistent-workspace-error" message={error} />
    </div>
  );
}
