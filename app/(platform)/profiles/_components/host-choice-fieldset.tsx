"use client";

import Link from "next/link";
import { HOST_KIND_LABELS, HOST_STATUS_LABELS } from "@/prisma-free-schema/vocabulary";
import { FieldError } from "@/app/_components/field-error";
import { ui } from "@/app/_lib/ui";
import { RadioCard } from "../../_components/radio-card";
import type { HostChoiceKind } from "./profile-draft";
import type { AllHosts } from "./use-all-hosts";

const CHOICES: readonly { kind: HostChoiceKind; label: string; description: string }[] = [
  { kind: "managed", label: "Managed", description: "Disco Parrot's own compute. Nothing to install; the default." },
  { kind: "host", label: "A specific host", description: "Every launch lands on the one registered host you pick." },
  {
    kind: "default-docker",
    label: "My default Docker host",
    description: "Each person's launches land on the Local Docker host they marked as their default.",
  },
];

interface HostChoiceFieldsetProps {
  hostKind: HostChoiceKind;
  hostId: string;
  onChange: (choice: { hostKind: HostChoiceKind; hostId: string }) => void;
  /** Undefined when the viewer may not see hosts (no hosts.read). */
  hosts: AllHosts | undefined;
  byoHosts: boolean;
  error?: string | undefined;
}

export function HostChoiceFieldset({ hostKind, hostId, onChange, hosts, byoHosts, error }: HostChoiceFieldsetProps) {
  const listed = hosts?.hosts ?? [];
  const current = listed.find((host) => host.id === hostId);

  function choose(kind: HostChoiceKind) {
    // Picking "A specific host" starts from the first host, so the choice is never left empty by accident.
    onChange({ hostKind: kind, hostId: kind === "host" && !hostId ? (listed[0]?.id ?? "") : hostId });
  }

  return (
    <fieldset aria-describedby={error ? "profile-host-choice-error" : undefined}>
      <legend className="text-sm font-medium text-slate-700">Where it runs</legend>
      <div className="mt-2 grid gap-3 md:grid-cols-3">
        {CHOICES.map((choice) => (
          <RadioCard
            key={choice.kind}
            id={`profile-host-${choice.kind}`}
            name="hostChoice"
            value={choice.kind}
            checked={hostKind === choice.kind}
            onChange={() => choose(choice.kind)}
            label={choice.label}
            description={choice.description}
            className="p-3.5"
            inputClassName="disabled:opacity-60"
          />
        ))}
      </div>
      {!byoHosts && hostKind !== "managed" ? (
        <p className="mt-2 text-sm text-amber-800">Bring-your-own hosts are not included in this workspace&apos;s plan, so only Managed launches.</p>
      ) : null}

      {hostKind === "host" ? (
        <div className="mt-4 max-w-xl">
          <label htmlFor="profile-host" className={ui.label}>
            Host
          </label>
          <select
            id="profile-host"
            value={hostId}
            onChange={(event) => onChange({ hostKind, hostId: event.target.value })}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "profile-host-choice-error" : "profile-host-hint"}
            className={`${ui.input} mt-1.5`}
          >
            {hostId === "" ? (
              <option value="" disabled>
                Choose a host…
              </option>
            ) : null}
            {hostId !== "" && !current ? (
              <option value={hostId}>{!hosts ? "The host this profile points at" : hosts.complete ? "A deleted host" : "Loading hosts…"}</option>
            ) : null}
            {listed.map((host) => (
              <option key={host.id} value={host.id}>
                {host.name} — {HOST_KIND_LABELS[host.kind]} — {HOST_STATUS_LABELS[host.status]}
              </option>
            ))}
          </select>
          {error ? null : (
            <p id="profile-host-hint" className="mt-1.5 text-sm text-slate-500">
              {!hosts ? (
                "You need the hosts.read scope to see the hosts to choose from."
              ) : hosts.complete && listed.length === 0 ? (
                <>
                  No hosts are registered yet.{" "}
                  <Link href="/hosts" className={ui.link}>
                    See hosts
                  </Link>
                </>
              ) : (
                "New work launches only while the host is Registered."
              )}
            </p>
          )}
        </div>
      ) : null}
      <FieldError id="profile-host-choice-error" message={error} />
    </fieldset>
  );
}
