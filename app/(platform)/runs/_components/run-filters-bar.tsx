"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from "react";
import type { TRunFilters, TRunStatus } from "@/prisma-free-schema";
import { RUN_STATUSES } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../_components/workspace-context";
import { pastedRunId } from "./pasted-run";
import { hasFilters } from "./run-filters-url";
import { runFilterOptionsInput } from "./runs-queries";
import { useWorkspaceProfiles } from "./use-workspace-profiles";

const STATUS_LABELS: Record<TRunStatus, string> = { starting: "Starting", running: "Running", idle: "Idle", failed: "Failed", ended: "Ended" };
/** Typing pauses this long before the search reaches the URL and the server. */
const SEARCH_PAUSE_MS = 300;

interface Choice {
  value: string;
  label: string;
}

function FilterSelect({ label, value, any, choices, onChange }: { label: string; value: string | undefined; any: string; choices: Choice[]; onChange: (value: string | undefined) => void }) {
  const id = useId();
  // A value from a link that the menu does not list (a deleted profile, an older run's host) still shows as chosen.
  const listed = value === undefined || choices.some((choice) => choice.value === value);
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <select id={id} value={value ?? ""} onChange={(event) => onChange(event.target.value || undefined)} className={`${ui.input} mt-1 py-1.5`}>
        <option value="">{any}</option>
        {listed ? null : <option value={value}>Not in the recent runs</option>}
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The runs list's filters and search; what they hold lives in the URL (useRunFilters). */
export function RunFiltersBar({ filters, onChange }: { filters: TRunFilters; onChange: (change: Partial<TRunFilters> | null) => void }) {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const options = useQuery(trpc.runs.filterOptions.queryOptions(runFilterOptionsInput(workspace.id)));
  const profiles = useWorkspaceProfiles();
  const router = useRouter();
  const searchId = useId();
  const [text, setText] = useState(filters.q ?? "");
  // The last search this box put in the URL: its arrival must not undo what was typed since.
  const sent = useRef(filters.q);

  // The URL changed under the box (Clear filters, a link): the box follows.
  useEffect(() => {
    if (filters.q !== sent.current) setText(filters.q ?? "");
    sent.current = filters.q;
  }, [filters.q]);

  const search = useCallback(
    (value: string) => {
      sent.current = value.trim() || undefined;
      onChange({ q: sent.current });
    },
    [onChange],
  );
  // Typing reaches the URL once it pauses; a pasted run link is not words to search for (and
  // searching it would race the click on "Open run").
  useEffect(() => {
    if ((text.trim() || undefined) === sent.current || pastedRunId(text)) return;
    const timer = setTimeout(() => search(text), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, search]);

  function searchNow(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const run = pastedRunId(text);
    if (run) router.push(`/runs/${run}`);
    else search(text);
  }

  const pasted = pastedRunId(text);
  const hosts: Choice[] = [
    ...(options.data?.managed || filters.hostId === "managed" ? [{ value: "managed", label: "Managed" }] : []),
    ...(options.data?.hosts ?? []).map((host) => ({ value: host.hostId, label: host.hostName })),
  ];

  return (
    <div className="space-y-3 border-b border-slate-200 px-5 py-4 sm:px-6">
      <form role="search" aria-label="Runs" onSubmit={searchNow}>
        <label htmlFor={searchId} className="block text-xs font-medium text-slate-600">
          Search first turns
        </label>
        <input
          id={searchId}
          type="search"
          value={text}
          maxLength={200}
          onChange={(event) => setText(event.target.value)}
          placeholder="Words from what a run was first asked"
          className={`${ui.input} mt-1`}
        />
        {pasted ? (
          <p className="mt-2 text-sm text-slate-600">
            That is a run&apos;s link:{" "}
            <Link href={`/runs/${pasted}`} className={ui.link}>
              Open run {pasted}
            </Link>
          </p>
        ) : null}
      </form>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-[repeat(4,minmax(0,1fr))_auto] lg:items-end">
        <FilterSelect
          label="Status"
          value={filters.status}
          any="Any status"
          choices={RUN_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] }))}
          onChange={(status) => onChange({ status: status as TRunStatus | undefined })}
        />
        <FilterSelect
          label="Profile"
          value={filters.profileId}
          any="Any profile"
          choices={(profiles.data ?? []).map((profile) => ({ value: profile.id, label: profile.name }))}
          onChange={(profileId) => onChange({ profileId })}
        />
        <FilterSelect
          label="Started by"
          value={filters.startedBy}
          any="Anyone"
          choices={(options.data?.people ?? []).map((person) => ({ value: person.userId, label: person.email }))}
          onChange={(startedBy) => onChange({ startedBy })}
        />
        <FilterSelect label="Runs on" value={filters.hostId} any="Anywhere" choices={hosts} onChange={(hostId) => onChange({ hostId })} />
        <button type="button" onClick={() => onChange(null)} disabled={!hasFilters(filters)} className={`${ui.secondaryButton} col-span-2 lg:col-span-1`}>
          Clear filters
        </button>
      </div>
    </div>
  );
}
