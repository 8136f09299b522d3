"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useWorkspace } from "../../_components/workspace-context";
import { workspaceProfilesInput } from "./runs-queries";

/** The workspace's profiles, for the filter and "New run" (names only). */
export function useWorkspaceProfiles() {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  return useQuery(trpc.profiles.list.queryOptions(workspaceProfilesInput(workspace.id), { select: (page) => page.items.map(({ id, name }) => ({ id, name })) }));
}
