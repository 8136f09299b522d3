"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { errorCode, formMessage } from "@/app/_lib/trpc-error";

/**
 * Starting a run from a form (a profile's page, the runs list's New run): on success the run page
 * opens with what the server just returned, then follows its events. `fields` are the inputs the
 * form shows errors beside; any other error is `message`, and a resolver's refusal (a host to
 * register, a default Docker host to pick) is `refused`.
 */
export function useStartRun(workspaceId: string, fields: readonly string[]) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const start = useMutation(
    trpc.runs.start.mutationOptions({
      onSuccess: async (run) => {
        queryClient.setQueryData(trpc.runs.get.queryKey({ workspaceId, runId: run.id }), run);
        router.push(`/runs/${run.id}`);
        await queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
      },
    }),
  );
  return {
    start,
    message: formMessage(start.error, fields),
    refused: errorCode(start.error) === "PRECONDITION_FAILED",
    // Stays busy after success too, while the run page loads.
    busy: start.isPending || start.isSuccess,
  };
}
