"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useWorkspace } from "../../_components/workspace-context";

/** The workspace's profiles (the first 200, more than a workspace keeps in practice), for the filter and "New run". */
export function useWorkspaceProfiles() {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  return useQuery(trpc.profiles.list.queryOptions({ workspaceId: workspace.id, limit: 200 }, { select: (page) => page.items.map(({ id, name }) => ({ id, name })) }));
}
