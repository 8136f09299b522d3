"use client";

import { type QueryKey, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

/** The `onSuccess` of a delete on a detail page: go back to the list, then mark the listed queries stale. */
export function useLeaveAfterDelete(href: string, staleKeys: readonly QueryKey[]): () => Promise<void> {
  const router = useRouter();
  const queryClient = useQueryClient();
  return async () => {
    router.push(href);
    await Promise.all(staleKeys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
  };
}
