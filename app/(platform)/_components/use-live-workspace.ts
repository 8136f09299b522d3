"use client";

import { useQuery } from "@tanstack/react-query";
import type { TMyWorkspace } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useWorkspace } from "./workspace-context";

/**
 * The current workspace as `workspaces.get` last answered, starting from what the layout
 * rendered: a switch flipped on one page (the bring-your-own channel in Settings) shows on
 * another without a reload.
 */
export function useLiveWorkspace(): TMyWorkspace {
  const trpc = useTRPC();
  const rendered = useWorkspace();
  const { data } = useQuery(trpc.workspaces.get.queryOptions({ workspaceId: rendered.id }, { initialData: rendered }));
  return data;
}
