import { itemOfPath } from "@/prisma-free-schema/item-link";
import { ZRunId } from "@/prisma-free-schema/run-event";

/**
 * The run a search box holds when someone pasted a run's link or id instead of words: the link
 * may be from another of their workspaces, so the page offers to open it rather than search for it.
 */
export function pastedRunId(text: string): string | undefined {
  const trimmed = text.trim();
  if (ZRunId.safeParse(trimmed).success) return trimmed;
  if (!URL.canParse(trimmed, "http://page.invalid")) return undefined;
  const item = itemOfPath(new URL(trimmed, "http://page.invalid").pathname);
  return item?.kind === "run" ? item.id : undefined;
}
