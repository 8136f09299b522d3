"use client";

import { TextField } from "@/app/_components/text-field";
import { FieldError } from "@/app/_components/field-error";

interface WorkloadIdentityFieldsProps {
  enabled: boolean;
  /** Shown to members who may not edit: no prompts to fill anything in. */
  readOnly: boolean;
  clientId: string;
  tenantId: string;
  onChange: (change: { useWorkloadIdentity?: boolean; clientId?: string; tenantId?: string }) => void;
  errors: { section?: string | undefined; clientId?: string | undefined; tenantId?: string | undefined };
}

/** An Azure managed identity the sandbox pod acts as; null unless the box is ticked. */
export function WorkloadIdentityFields({ enabled, readOnly, clientId, tenantId, onChange, errors }: WorkloadIdentityFieldsProps) {
  return (
    <fieldset aria-describedby={`profile-wi-description${errors.section ? " profile-wi-error" : ""}`}>
      <legend className="text-base font-semibold text-slate-900">Workload identity</legend>
      <p id="profile-wi-description" className="mt-1 text-sm text-slate-600">
        Sandbox pods sign in to Azure as this managed identity instead of carrying a stored secret. It needs a Kubernetes host with workload identity turned on.
      </p>
      <div className="mt-4 flex items-center gap-3">
        <input
          id="profile-use-wi"
          type="checkbox"
          checked={enabled}
          onChange={(event) => onChange({ useWorkloadIdentity: event.target.checked })}
          className="h-4 w-4 shrink-0 rounded border-slate-300 accent-brand-600 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 disabled:opacity-60"
        />
        <label htmlFor="profile-use-wi" className="text-sm font-medium text-slate-900">
          Use a workload identity
        </label>
      </div>
      <div className="mt-4 grid gap-5 sm:grid-cols-2">
        <TextField
          id="profile-wi-client-id"
          label="Managed identity client ID"
          error={errors.clientId}
          hint={readOnly ? undefined : enabled ? "A GUID, from the managed identity's overview in Azure." : "Tick “Use a workload identity” to fill this in."}
          disabled={!enabled}
          value={clientId}
          onChange={(event) => onChange({ clientId: event.target.value })}
          placeholder="00000000-0000-0000-0000-000000000000"
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          id="profile-wi-tenant-id"
          label="Tenant ID"
          error={errors.tenantId}
          hint={enabled && !readOnly ? "A GUID: the Microsoft Entra tenant the identity belongs to." : undefined}
          disabled={!enabled}
          value={tenantId}
          onChange={(event) => onChange({ tenantId: event.target.value })}
          placeholder="00000000-0000-0000-0000-000000000000"
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <FieldError id="profile-wi-error" message={errors.section} />
    </fieldset>
  );
}
