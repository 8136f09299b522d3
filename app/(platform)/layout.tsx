import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { signInPathFor } from "@/app/_lib/safe-callback-url";
import { PlatformFrame } from "./_components/platform-frame";
import { platformSession } from "./_lib/platform-session";

export default async function PlatformLayout({ children }: { children: ReactNode }) {
  const { path, actor, workspaces, current, switched } = await platformSession();
  if (!actor) redirect(signInPathFor(path));
  if (!current) redirect("/onboarding");

  return (
    <PlatformFrame viewer={{ userId: actor.userId, email: actor.email, name: actor.name }} workspaces={workspaces} current={current} switched={switched}>
      {children}
    </PlatformFrame>
  );
}
