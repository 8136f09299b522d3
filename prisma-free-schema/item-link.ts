import { z } from "zod";
import { ZHostId } from "./host";
import { ZProfileId, ZWorkspaceId } from "./ids";
import { ZRunId } from "./run-event";
import { ZWorkspace } from "./workspace";

/**
 * Something a link names by id alone (a run, a host, a profile): a link copied in one workspace
 * opens in any other page of the app, whichever workspace the person looked at last.
 */
const ITEM_IDS = { run: ZRunId, host: ZHostId, profile: ZProfileId } as const;
export const ZItemRef = z
  .object({ kind: z.enum(["run", "host", "profile"]), id: z.string().max(100) })
  .superRefine((item, context) => {
    if (!ITEM_IDS[item.kind].safeParse(item.id).success) context.addIssue({ code: "custom", path: ["id"], message: `Not a ${item.kind} id` });
  });
export type TItemRef = z.infer<typeof ZItemRef>;

/** Which of the caller's own workspaces holds the item. */
export const ZItemWorkspace = z.object({ workspaceId: ZWorkspaceId, workspaceName: ZWorkspace.shape.name });
export type TItemWorkspace = z.infer<typeof ZItemWorkspace>;

const ITEM_PATH = /^\/(runs|hosts|profiles)\/([^/?#]+)/;
const KIND_OF_SEGMENT = { runs: "run", hosts: "host", profiles: "profile" } as const;

/** The item a page path opens (`/runs/run_…`, `/hosts/host_…/edit`), if it names one by a valid id. */
export function itemOfPath(path: string): TItemRef | undefined {
  const match = ITEM_PATH.exec(path);
  if (!match) return undefined;
  const parsed = ZItemRef.safeParse({ kind: KIND_OF_SEGMENT[match[1] as keyof typeof KIND_OF_SEGMENT], id: match[2] });
  return parsed.success ? parsed.data : undefined;
}
