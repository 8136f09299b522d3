import type { Metadata } from "next";
import { getSessionActor } from "@/server/auth/session-actor";
import { getEnv } from "@/server/env";
import { passwordAccountsEnabled } from "@/server/services/users/local-mode";
import { Brand } from "@/app/_components/brand";
import { ui } from "@/app/_lib/ui";
import { InviteAcceptance } from "./_components/invite-acceptance";

export const metadata: Metadata = { title: "Your invite", referrer: "no-referrer" };

/**
 * The page an invite link opens. The link's token is after `#`, so it never reaches this server
 * as part of a URL; the page reads it in the browser and sends it in the body of its calls.
 */
export default async function InvitePage() {
  const actor = await getSessionActor();
  const env = getEnv();
  return (
    <main className="mx-auto w-full max-w-xl px-4 py-10 sm:py-16">
      <div className="mb-8">
        <Brand />
      </div>
      <div className={`${ui.card} p-6 sm:p-8`}>
        <InviteAcceptance
          viewer={actor ? { email: actor.email, name: actor.name } : null}
          passwordAccounts={passwordAccountsEnabled()}
          devSignIn={env.auth.localSignIn && env.auth.localPasswordless}
          entra={Boolean(env.auth.entra)}
        />
      </div>
    </main>
  );
}
