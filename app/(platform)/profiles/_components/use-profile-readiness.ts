"use client";

import { useQueries } from "@tanstack/react-query";
import type { TProfileView, TResolution } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { readinessBatches } from "./profile-queries";

export interface ProfileReadinessMap {
  get: (profileId: string) => TResolution | undefined;
  state: (profileId: string) => "loading" | "failed" | "done";
}

/** The resolver's verdict for every profile on the list, a page of them per call (profiles.readiness). */
export function useProfileReadiness(workspaceId: string, profiles: readonly TProfileView[]): ProfileReadinessMap {
  const trpc = useTRPC();
  const batches = readinessBatches(profiles.map((profile) => profile.id));
  const results = useQueries({ queries: batches.map((profileIds) => trpc.profiles.readiness.queryOptions({ workspaceId, profileIds })) });

  const verdicts = new Map<string, TResolution>();
  const batchOf = new Map<string, number>();
  batches.forEach((ids, index) => ids.forEach((id) => batchOf.set(id, index)));
  for (const result of results) for (const item of result.data ?? []) verdicts.set(item.profileId, item.resolution);
  return {
    get: (profileId) => verdicts.get(profileId),
    state: (profileId) => {
      const result = results[batchOf.get(profileId) ?? -1];
      if (!result || result.isPending) return "loading";
      return result.isError ? "failed" : "done";
    },
  };
}
