import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/server/auth/session-actor";
import { firstAccountOpen } from "@/server/services/users/create-first-account";
import { listMyWorkspaces } from "@/server/services/workspaces/list-my-workspaces";
import { getStore } from "@/server/store/store";
import { Brand } from "@/app/_components/brand";
import { SignOutButton } from "@/app/_components/sign-out-button";
import { ui } from "@/app/_lib/ui";
import { CreateWorkspaceForm } from "./_components/create-workspace-form";
import { FirstAccountForm } from "./_components/first-account-form";

export const metadata: Metadata = { title: "Create your workspace" };

export default async function OnboardingPage() {
  const store = await getStore();
  const actor = await getSessionActor();
  if (!actor) {
    // A fresh install: the first person creates their account here, with a password.
    if (!(await firstAccountOpen(store))) redirect("/signin?callbackUrl=/onboarding");
    return (
      <main className="mx-auto w-full max-w-xl px-4 py-10 sm:py-16">
        <div className="mb-8">
          <Brand />
        </div>
        <div className={`${ui.card} p-6 sm:p-8`}>
          <h1 className="text-xl font-semibold text-slate-900">Create the first account</h1>
          <p className="mt-2 text-sm text-slate-600">
            Nobody has an account on this install yet. Yours comes first; next you create your workspace, and you invite everyone else
            with links from Settings → Members.
          </p>
          <div className="mt-6">
            <FirstAccountForm />
          </div>
        </div>
      </main>
    );
  }
  const workspaces = await listMyWorkspaces({ store, actor });
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
          Ask a workspace admin for an invite link (Settings → Members) and open it while signed in as{" "}
          <span className="font-medium text-slate-900">{actor.email}</span>: the workspace appears once you accept it.
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
