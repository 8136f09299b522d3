"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { THostView, TProfileView } from "@/prisma-free-schema";
import { ZDockerHostSettings } from "@/prisma-free-schema/host";
import { DEFAULT_DOCKER_NETWORK, MAX_WARM_POOL_SIZE } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { TextField } from "@/app/_components/text-field";
import { fieldError, formMessage, isStaleConflict } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { FormErrorAlert } from "../../../_components/form-error-alert";
import { useWorkspace } from "../../../_components/workspace-context";
import { fieldIssues } from "@/app/_lib/field-issues";
import { dockerProfilesInput } from "./host-queries";

const FIELDS = ["network", "warmPools"] as const;

/** Profiles whose launches can land here: they name this host, or "my default Docker host". */
function landsHere(profile: TProfileView, hostId: string): boolean {
  return profile.hostChoice.kind === "default-docker" || (profile.hostChoice.kind === "host" && profile.hostChoice.hostId === hostId);
}

/** Local Docker only: the network sandbox containers join, and how many warm containers to keep per profile. */
export function DockerSettingsSection({ host, canManage, onReload, reloading }: { host: THostView; canManage: boolean; onReload: () => void; reloading: boolean }) {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const profiles = useQuery(trpc.profiles.list.queryOptions(dockerProfilesInput(workspace.id)));
  const eligible = (profiles.data?.items ?? []).filter((profile) => landsHere(profile, host.id));
  const toast = useToast();

  return (
    <section aria-labelledby="docker-settings-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="docker-settings-heading" className="text-base font-semibold text-slate-900">
        Docker settings
      </h2>
      <p className="mt-1 text-sm text-slate-600">How the operator runs sandbox containers on this engine.</p>
      <div className="mt-5">
        {/* Keyed by version, so a save or a reload starts the form from the saved host. */}
        <DockerSettingsForm key={host.revision} host={host} profiles={eligible} canManage={canManage} onSaved={() => toast("Docker settings saved: warm pools go to the operator now if it is connected, or when it next connects")} onReload={onReload} reloading={reloading} />
      </div>
    </section>
  );
}

interface DockerSettingsFormProps {
  host: THostView;
  profiles: TProfileView[];
  canManage: boolean;
  onSaved: (revision: string) => void;
  onReload: () => void;
  reloading: boolean;
}

function DockerSettingsForm({ host, profiles, canManage, onSaved, onReload, reloading }: DockerSettingsFormProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const [network, setNetwork] = useState(host.docker.network);
  const [sizes, setSizes] = useState<Record<string, string>>(() => Object.fromEntries(host.docker.warmPools.map((pool) => [pool.profileId, String(pool.size)])));
  const [localErrors, setLocalErrors] = useState<Partial<Record<(typeof FIELDS)[number], string>>>({});

  const save = useMutation(
    trpc.hosts.updateDockerSettings.mutationOptions({
      onSuccess: (updated) => {
        onSaved(updated.revision);
        queryClient.setQueryData(trpc.hosts.get.queryKey({ workspaceId: workspace.id, hostId: updated.id }), updated);
        // The warm pools' sizes show beside each profile.
        return queryClient.invalidateQueries({ queryKey: trpc.hosts.usage.queryKey({ workspaceId: workspace.id, hostId: updated.id }) });
      },
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const warmPools = profiles.map((profile) => ({ profileId: profile.id, size: Number(sizes[profile.id] ?? "0") })).filter((pool) => pool.size !== 0);
    const parsed = ZDockerHostSettings.safeParse({ network, warmPools });
    if (!parsed.success) {
      setLocalErrors(fieldIssues(parsed.error, FIELDS));
      return;
    }
    setLocalErrors({});
    save.mutate({ workspaceId: workspace.id, hostId: host.id, revision: host.revision, settings: parsed.data });
  }

  const poolsError = localErrors.warmPools ?? fieldError(save.error, "warmPools");
  return (
    <form onSubmit={submit} noValidate aria-label="Docker settings" className="space-y-5">
      <TextField
        id="docker-network"
        label="Sandbox network"
        value={network}
        onChange={(event) => setNetwork(event.target.value)}
        disabled={!canManage}
        spellCheck={false}
        autoComplete="off"
        error={localErrors.network ?? fieldError(save.error, "network")}
        hint={`The Docker network sandbox containers join: ${DEFAULT_DOCKER_NETWORK} (the default, Docker's own), host, or the name of a network you created. The operator reads it when it starts: after a change, download a new bundle and restart the operator.`}
      />
      <fieldset>
        <legend className={ui.label}>Warm pools</legend>
        <p className="mt-1 text-sm text-slate-500">
          Containers kept started and waiting, per profile, so a launch takes one instead of waiting for a new container. Each one holds this
          engine’s memory while it waits.
        </p>
        {profiles.length === 0 ? (
          <p className="mt-3 text-sm text-slate-700">No profile runs on this host yet: profiles set to this host or to “My default Docker host” are listed here.</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-100">
            {profiles.map((profile) => (
              <li key={profile.id} className="flex items-center justify-between gap-4 py-2">
                <label htmlFor={`warm-${profile.id}`} className="text-sm text-slate-800">
                  <span className="font-medium">{profile.name}</span>
                  <span className="block text-xs text-slate-500">Warm containers</span>
                </label>
                {/* The width on a wrapper: ui.input is w-full, and two widths on one element would be settled by stylesheet order. */}
                <div className="w-24 shrink-0">
                  <input
                    id={`warm-${profile.id}`}
                    aria-label={`Warm containers for ${profile.name}`}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={MAX_WARM_POOL_SIZE}
                    step={1}
                    disabled={!canManage}
                    value={sizes[profile.id] ?? "0"}
                    onChange={(event) => setSizes((current) => ({ ...current, [profile.id]: event.target.value }))}
                    aria-invalid={poolsError ? true : undefined}
                    className={ui.input}
                  />
                </div>
              </li>
            ))}
          </ul>
        )}
        {poolsError ? (
          <p role="alert" className="mt-1.5 text-sm text-red-700">
            {poolsError}
          </p>
        ) : null}
      </fieldset>
      {canManage ? (
        <>
          <FormErrorAlert message={formMessage(save.error, FIELDS)} stale={isStaleConflict(save.error)} onReload={onReload} reloading={reloading} />
          <button type="submit" disabled={save.isPending} className={ui.primaryButton}>
            {save.isPending ? "Saving…" : "Save Docker settings"}
          </button>
        </>
      ) : (
        <p className="text-sm text-slate-600">Someone with the hosts.manage scope changes these settings.</p>
      )}
    </form>
  );
}
