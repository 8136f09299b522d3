"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { TRunDetail } from "@/prisma-free-schema";
import { turnRunning } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { formMessage } from "@/app/_lib/trpc-error";
import { button } from "@/app/_lib/ui";

/** For the run's starter, in the header: cancel the running turn, end the run (once confirmed). */
export function RunActions({ run }: { run: TRunDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const runKey = trpc.runs.get.queryKey({ workspaceId: run.workspaceId, runId: run.id });
  const settle = async (updated: TRunDetail) => {
    queryClient.setQueryData(runKey, updated);
    await queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
  };
  const fail = (error: unknown) => toast(formMessage(error, []) ?? "That did not work; try again.", "error");

  const cancel = useMutation(
    trpc.runs.cancelTurn.mutationOptions({
      onSuccess: async (updated) => {
        await settle(updated);
        toast("Turn cancelled");
      },
      onError: fail,
    }),
  );
  const end = useMutation(
    trpc.runs.end.mutationOptions({
      onSuccess: async (updated) => {
        await settle(updated);
        toast("Run ended");
      },
      onError: fail,
    }),
  );
  const input = { workspaceId: run.workspaceId, runId: run.id };

  return (
    <div className="flex flex-wrap gap-2">
      {turnRunning(run) ? (
        <button type="button" disabled={cancel.isPending} onClick={() => cancel.mutate(input)} className={button("dangerOutline", "sm")}>
          {cancel.isPending ? "Cancelling turn…" : "Cancel turn"}
        </button>
      ) : null}
      <button
        type="button"
        disabled={end.isPending}
        onClick={() => {
          if (window.confirm("End this run? It takes no more turns, and its sandbox is removed.")) end.mutate(input);
        }}
        className={button("dangerOutline", "sm")}
      >
        {end.isPending ? "Ending run…" : "End run"}
      </button>
    </div>
  );
}
