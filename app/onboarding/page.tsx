import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/server/auth/session-actor";
import { listMyWorkspaces } from "@/server/services/workspaces/list-my-workspaces";
import { getStore } from "@/server/store/store";
import { Brand } from "@/app/_components/brand";
import { SignOutButton } from "@/app/_components/sign-out-button";
import { ui } from "@/app/_lib/ui";
import { CreateWorkspaceForm } from "./_components/create-workspace-form";

export const metadata: Metadata = { title: "Create your workspace" };

export default async function OnboardingPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/signin?callbackUrl=/onboarding");
  const workspaces = await listMyWorkspaces({ store: await getStore(), actor });
  const hasWorkspace = workspaces.length > 0;

  return (
    <main className="mx-auto w-full max-w-xl px-4 py-10 sm:py-16">
      <div className="mb-8 flex items-center justify-between gap-4">
        <Brand href={hasWorkspace ? "/hosts" : undefined} />
        <div className="flex min-w-0 items-center gap-3 text-sm">
          <span className="hidden truncate text-slate-600 sm:inline">{actor.email}</span>
          <SignOutButton />
        </div>
      </div>

      <div className={`${ui.card} p-6 sm:p-8`}>
        <h1 className="text-xl font-semibold text-slate-900">Create your workspace</h1>
        <p className="mt-2 text-sm text-slate-600">
          A workspace holds your hosts, profiles, runs and the people who work on them. You will be its owner, with every scope.
        </p>
        <div className="mt-6">
          <CreateWorkspaceForm />
        </div>
      </div>

      <div className={`${ui.card} mt-6 p-6 sm:p-8`}>
        <h2 className="text-base font-semibold text-slate-900">Joining your team instead?</h2>
        <p className="mt-2 text-sm text-slate-600">
          If a teammate had added you by email, you would already see their workspace here. Ask a workspace owner to add{" "}
          <span className="font-medium text-slate-900">{actor.email}</span> as a member; reload this page once they have, and their workspace will be waiting for you.
        </p>
      </div>

      {hasWorkspace ? (
        <p className="mt-6 text-center text-sm">
          <Link href="/hosts" className={ui.link}>
            Go to your workspace
          </Link>
        </p>
      ) : null}
    </main>
  );
}
