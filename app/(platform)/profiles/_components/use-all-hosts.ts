"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import type { THostSummary } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { allHostsInput } from "./profile-queries";

export interface AllHosts {
  hosts: THostSummary[];
  /** Every page is in: a host missing from `hosts` really is gone. */
  complete: boolean;
  isError: boolean;
}

/**
 * Every host in the workspace, for naming a profile's host and offering hosts to pick from.
 * Only asked when the viewer holds hosts.read; pages follow one another until the last.
 */
export function useAllHosts(workspaceId: string, enabled: boolean): AllHosts {
  const trpc = useTRPC();
  const query = useInfiniteQuery({
    ...trpc.hosts.list.infiniteQueryOptions(allHostsInput(workspaceId), { getNextPageParam: (page) => page.cursor }),
    enabled,
  });
  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = query;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isFetchNextPageError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);

  return {
    hosts: query.data?.pages.flatMap((page) => page.items) ?? [],
    complete: Boolean(query.data) && !hasNextPage,
    isError: query.isError,
  };
}
