"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useState } from "react";
import type { TProfileView, TResourceClass } from "@/prisma-free-schema";
import { hasScope, MAX_WARM_POOL, RESOURCE_CLASSES, TEMPLATES } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { FieldError } from "@/app/_components/field-error";
import { TextField } from "@/app/_components/text-field";
import { errorMessage, fieldError, formMessage, isNameTaken, isStaleConflict } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { FormErrorAlert } from "../../_components/form-error-alert";
import { RuntimeFamilyCheckboxes } from "../../_components/runtime-family-checkboxes";
import { useWorkspace } from "../../_components/workspace-context";
import { useToast } from "@/app/_components/toaster";
import { hostApplicability } from "./host-applicability";
import { HostChoiceFieldset } from "./host-choice-fieldset";
import { PersistentWorkspaceField } from "./persistent-workspace-field";
import {
  type DraftField,
  draftFromSettings,
  newProfileDraft,
  type ProfileDraft,
  SETTINGS_FIELDS,
  settingsFromDraft,
  type TemplateId,
} from "./profile-draft";
import { resourceClassOption } from "./resource-class";
import { UnavailableOption } from "./unavailable-option";
import { useAllHosts } from "./use-all-hosts";
import { WorkloadIdentityFields } from "./workload-identity-fields";

const TEMPLATE_IDS = Object.keys(TEMPLATES) as TemplateId[];
const RESOURCE_CLASS_IDS = Object.keys(RESOURCE_CLASSES) as TResourceClass[];

export type ProfileFormProps =
  | { mode: "create" }
  | {
      mode: "edit";
      profile: TProfileView;
      /** Members without profiles.manage see every field, disabled. */
      readOnly: boolean;
      onSaved: (etag: string) => void;
      onReload: () => void;
      reloading: boolean;
    };

/** One form for a new profile and an existing one; an existing one is saved against its etag. */
export function ProfileForm(props: ProfileFormProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const workspace = useWorkspace();
  const canSeeHosts = hasScope(workspace.scopes, "hosts.read");
  const hosts = useAllHosts(workspace.id, canSeeHosts);
  const readOnly = props.mode === "edit" && props.readOnly;
  const [draft, setDraft] = useState<ProfileDraft>(() => (props.mode === "edit" ? draftFromSettings(props.profile) : newProfileDraft()));
  const [localErrors, setLocalErrors] = useState<Partial<Record<DraftField, string>>>({});

  // "A specific host" picked before the hosts arrived: take the first one once they do.
  const firstHostId = hosts.hosts[0]?.id;
  // Kubernetes hosts are create-and-destroy (seed 003): the form says so and offers nothing that would outlive a run.
  const chosenHost = draft.hostKind === "host" && canSeeHosts ? hosts.hosts.find((host) => host.id === draft.hostId) : undefined;
  const onKubernetes = chosenHost?.kind === "kubernetes";
  // Offered only where the chosen host can take them; one already set stays visible so it can be cleared.
  const applies = hostApplicability(draft.hostKind, chosenHost);
  const toast = useToast();
  const waitingForHost = draft.hostKind === "host" && draft.hostId === "";
  useEffect(() => {
    if (waitingForHost && firstHostId) setDraft((current) => (current.hostId === "" ? { ...current, hostId: firstHostId } : current));
  }, [waitingForHost, firstHostId]);

  const create = useMutation(
    trpc.profiles.create.mutationOptions({
      onSuccess: async (profile) => {
        queryClient.setQueryData(trpc.profiles.get.queryKey({ workspaceId: workspace.id, profileId: profile.id }), profile);
        await queryClient.invalidateQueries({ queryKey: trpc.profiles.list.pathKey() });
        toast(`Profile ${profile.name} created`);
        router.push(`/profiles/${profile.id}`);
      },
    }),
  );
  const update = useMutation(
    trpc.profiles.update.mutationOptions({
      onSuccess: async (profile) => {
        if (props.mode === "edit") props.onSaved(profile.etag);
        queryClient.setQueryData(trpc.profiles.get.queryKey({ workspaceId: workspace.id, profileId: profile.id }), profile);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.profiles.list.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.profiles.readiness.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.profiles.resolve.queryKey({ workspaceId: workspace.id, profileId: profile.id }) }),
        ]);
        toast(`Profile ${profile.name} saved`);
      },
    }),
  );
  const mutation = props.mode === "create" ? create : update;
  const serverError = mutation.error;
  const nameTaken = isNameTaken(serverError);
  const message = nameTaken ? undefined : formMessage(serverError, SETTINGS_FIELDS);

  function errorFor(field: DraftField): string | undefined {
    const local = localErrors[field];
    if (local) return local;
    if (field === "name" && nameTaken) return errorMessage(serverError);
    return field.includes(".") ? undefined : fieldError(serverError, field);
  }

  function set(change: Partial<ProfileDraft>) {
    setDraft((current) => ({ ...current, ...change }));
  }

  function changeTemplate(template: TemplateId) {
    const before = TEMPLATES[draft.template];
    const after = TEMPLATES[template];
    // A new profile follows its template; an existing one keeps an image someone chose on purpose.
    const follow = props.mode === "create" || (draft.image === before.image && draft.tag === before.tag);
    set(follow ? { template, image: after.image, tag: after.tag } : { template });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (readOnly) return;
    const checked = settingsFromDraft(draft);
    if (!checked.ok) {
      mutation.reset();
      setLocalErrors(checked.errors);
      return;
    }
    setLocalErrors({});
    if (props.mode === "create") create.mutate({ workspaceId: workspace.id, ...checked.settings });
    else update.mutate({ workspaceId: workspace.id, profileId: props.profile.id, etag: props.profile.etag, settings: checked.settings });
  }

  const template = TEMPLATES[draft.template];

  return (
    <form onSubmit={submit} noValidate aria-label={props.mode === "create" ? "New profile" : `Settings of ${props.profile.name}`} className="space-y-6">
      {readOnly ? (
        <p role="note" className="rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-900">
          You can see this profile&apos;s settings; changing them needs the profiles.manage scope.
        </p>
      ) : null}
      <fieldset disabled={readOnly || mutation.isPending} className="min-w-0 space-y-6">
        <legend className="sr-only">Profile settings</legend>
        <section aria-labelledby="profile-general-heading" className={`${ui.card} space-y-6 p-5 sm:p-6`}>
          <h2 id="profile-general-heading" className="text-base font-semibold text-slate-900">
            General
          </h2>
          <TextField
            id="profile-name"
            label="Name"
            error={errorFor("name")}
            hint="Unique in this workspace; people pick it when they launch."
            className="max-w-md"
            value={draft.name}
            onChange={(event) => set({ name: event.target.value })}
            placeholder="e.g. Planning"
            autoComplete="off"
            maxLength={60}
          />
          <HostChoiceFieldset
            hostKind={draft.hostKind}
            hostId={draft.hostId}
            onChange={set}
            hosts={canSeeHosts ? hosts : undefined}
            byoHosts={workspace.plan.byoHosts}
            error={errorFor("hostChoice")}
          />
          <div className="grid gap-5 sm:grid-cols-2">
            <div>
              <label htmlFor="profile-template" className={ui.label}>
                Template
              </label>
              <select
                id="profile-template"
                value={draft.template}
                onChange={(event) => changeTemplate(TEMPLATE_IDS.find((id) => id === event.target.value) ?? draft.template)}
                aria-describedby={errorFor("template") ? "profile-template-error" : "profile-template-hint"}
                className={`${ui.input} mt-1.5`}
              >
                {TEMPLATE_IDS.map((id) => (
                  <option key={id} value={id}>
                    {TEMPLATES[id].label}
                  </option>
                ))}
              </select>
              {errorFor("template") ? null : (
                <p id="profile-template-hint" className="mt-1.5 text-sm text-slate-500">
                  {template.description}.
                </p>
              )}
              <FieldError id="profile-template-error" message={errorFor("template")} />
            </div>
            <div>
              <label htmlFor="profile-resource-class" className={ui.label}>
                Resource class
              </label>
              <select
                id="profile-resource-class"
                value={draft.resourceClass}
                onChange={(event) => set({ resourceClass: RESOURCE_CLASS_IDS.find((id) => id === event.target.value) ?? draft.resourceClass })}
                aria-invalid={errorFor("resourceClass") ? true : undefined}
                aria-describedby={errorFor("resourceClass") ? "profile-resource-class-error" : undefined}
                className={`${ui.input} mt-1.5`}
              >
                {RESOURCE_CLASS_IDS.map((id) => (
                  <option key={id} value={id}>
                    {resourceClassOption(id)}
                  </option>
                ))}
              </select>
              <FieldError id="profile-resource-class-error" message={errorFor("resourceClass")} />
            </div>
          </div>
          <div className="grid gap-5 sm:grid-cols-3">
            <TextField
              id="profile-image"
              label="Image"
              error={errorFor("image")}
              hint={`The ${template.label} template starts from ${template.image}.`}
              className="sm:col-span-2"
              value={draft.image}
              onChange={(event) => set({ image: event.target.value })}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
            />
            <TextField
              id="profile-tag"
              label="Tag"
              error={errorFor("tag")}
              value={draft.tag}
              onChange={(event) => set({ tag: event.target.value })}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
            />
          </div>
          <RuntimeFamilyCheckboxes
            value={draft.runtimeFamilies}
            onChange={(runtimeFamilies) => set({ runtimeFamilies })}
            hint="The languages this profile needs. On your own hosts, a launch lands only on a host that serves all of them."
            error={errorFor("runtimeFamilies")}
          />
          {onKubernetes ? (
            <p data-testid="kubernetes-create-and-destroy" className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2.5 text-sm text-slate-700">
              On a Kubernetes host every run gets a fresh pod with a scratch workspace, removed when the run ends: no warm sandboxes, and nothing is carried from one run to the next.
            </p>
          ) : null}
          {applies.persistentWorkspace.offered || draft.persistentWorkspace ? (
            <PersistentWorkspaceField
              checked={draft.persistentWorkspace}
              onChange={(persistentWorkspace) => set({ persistentWorkspace })}
              error={errorFor("persistentWorkspace") ?? (applies.persistentWorkspace.offered ? undefined : applies.persistentWorkspace.why)}
            />
          ) : onKubernetes ? null : (
            <UnavailableOption title="Persistent workspace" why={applies.persistentWorkspace.why} />
          )}
          <div className="grid gap-5 sm:grid-cols-2">
            <TextField
              id="profile-idle-pause"
              label="Pause when idle for (minutes)"
              type="number"
              inputMode="decimal"
              min={0.25}
              step="any"
              error={errorFor("idle.pauseAfterMinutes")}
              hint="Managed compute: the sandbox's compute stops and is no longer counted, its files are kept, and the next turn resumes it."
              value={draft.pauseAfterMinutes}
              onChange={(event) => set({ pauseAfterMinutes: event.target.value })}
            />
            <TextField
              id="profile-idle-end"
              label="End when idle for (hours)"
              type="number"
              inputMode="decimal"
              min={0.01}
              step="any"
              error={errorFor("idle.endAfterHours") ?? errorFor("idle")}
              hint="Any host: the sandbox is removed and its runs end."
              value={draft.endAfterHours}
              onChange={(event) => set({ endAfterHours: event.target.value })}
            />
          </div>
          {draft.hostKind === "managed" || draft.warmPool !== "0" ? (
            <TextField
              id="profile-warm-pool"
              label="Warm sandboxes"
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_WARM_POOL}
              step={1}
              error={errorFor("warmPool")}
              hint={`Managed compute: up to ${MAX_WARM_POOL} sandboxes kept started and waiting, so a launch takes one at once. They count as running, and are metered.`}
              value={draft.warmPool}
              onChange={(event) => set({ warmPool: event.target.value })}
            />
          ) : null}
        </section>

        <section className={`${ui.card} p-5 sm:p-6`}>
          {applies.workloadIdentity.offered || draft.useWorkloadIdentity ? (
            <WorkloadIdentityFields
              enabled={draft.useWorkloadIdentity}
              readOnly={readOnly}
              clientId={draft.clientId}
              tenantId={draft.tenantId}
              onChange={set}
              errors={{
                section: errorFor("workloadIdentity") ?? (applies.workloadIdentity.offered ? undefined : applies.workloadIdentity.why),
                clientId: errorFor("workloadIdentity.clientId"),
                tenantId: errorFor("workloadIdentity.tenantId"),
              }}
            />
          ) : (
            <>
              <h2 className="mb-3 text-base font-semibold text-slate-900">Workload identity</h2>
              <UnavailableOption title="Workload identity" why={applies.workloadIdentity.why} />
            </>
          )}
        </section>
      </fieldset>

      {props.mode === "edit" ? (
        <FormErrorAlert message={message} stale={isStaleConflict(serverError)} onReload={props.onReload} reloading={props.reloading} />
      ) : (
        <FormErrorAlert message={message} stale={false} onReload={() => undefined} reloading={false} />
      )}
      {Object.keys(localErrors).length > 0 || (serverError && !message) ? (
        <p role="alert" className="text-sm text-red-700">
          Some fields need attention.
        </p>
      ) : null}

      {readOnly ? null : (
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" disabled={mutation.isPending} className={ui.primaryButton}>
            {props.mode === "create" ? (create.isPending ? "Creating profile…" : "Create profile") : update.isPending ? "Saving…" : "Save changes"}
          </button>
          {props.mode === "create" ? (
            <Link href="/profiles" className={ui.secondaryButton}>
              Cancel
            </Link>
          ) : null}
        </div>
      )}
    </form>
  );
}
