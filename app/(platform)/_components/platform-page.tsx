import type { ReactNode } from "react";
import { platformSession } from "../_lib/platform-session";
import { PageWorkspace } from "./page-workspace";

/**
 * Wraps a platform page in the workspace this request chose. Needed because a click from one
 * page to another renders only the page on the server, not the platform layout: without this, a
 * link to another workspace's run would open in the workspace the layout chose on the last full load.
 */
export async function PlatformPage({ children }: { children: ReactNode }) {
  const { current, switched } = await platformSession();
  // No workspace: the layout is redirecting to onboarding or sign-in.
  if (!current) return children;
  return (
    <PageWorkspace workspace={current} switched={switched}>
      {children}
    </PageWorkspace>
  );
}
