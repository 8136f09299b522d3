import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/server/auth/session-actor";
import { getEnv } from "@/server/env";
import { firstAccountOpen } from "@/server/services/users/create-first-account";
import { getStore } from "@/server/store/store";
import Link from "next/link";
import { Alert } from "@/app/_components/alert";
import { Brand } from "@/app/_components/brand";
import { safeCallbackUrl } from "@/app/_lib/safe-callback-url";
import { ui } from "@/app/_lib/ui";
import { DevSignInForm } from "./_components/dev-sign-in-form";
import { PasswordSignInForm } from "./_components/password-sign-in-form";
import { MicrosoftSignInButton } from "./_components/microsoft-sign-in-button";
import { signInErrorMessage } from "./_components/sign-in-error-message";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getSessionActor()) redirect(callbackUrl);

  const env = getEnv();
  const errorCode = typeof params.error === "string" ? params.error : undefined;
  const firstAccount = await firstAccountOpen(await getStore());

  return (
    <main className="flex min-h-screen items-start justify-center px-4 py-12 sm:items-center">
      <div className="w-full max-w-md">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Brand size="lg" />
          <p className="text-sm text-slate-600">The control plane for AI-agent sandboxes on managed compute, Kubernetes or Docker.</p>
        </div>

        <div className={`${ui.card} space-y-6 p-6 sm:p-8`}>
          <h1 className="text-xl font-semibold text-slate-900">Sign in</h1>

          {errorCode ? <Alert tone="error">{signInErrorMessage(errorCode)}</Alert> : null}

          {env.auth.entra ? <MicrosoftSignInButton callbackUrl={callbackUrl} /> : null}

          {env.auth.entra && env.auth.localSignIn ? (
            <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-slate-400">
              <span className="h-px flex-1 bg-slate-200" />
              or
              <span className="h-px flex-1 bg-slate-200" />
            </div>
          ) : null}

          {env.auth.localSignIn && env.auth.localPasswordless ? (
            <section aria-labelledby="local-sign-in-heading" className="space-y-4">
              <h2 id="local-sign-in-heading" className="text-base font-semibold text-slate-900">
                Local sign-in
              </h2>
              <Alert tone="warning" title="Development only">
                <p>
                  There is no password: anyone who can reach this page can sign in with any name and email. It is on because this is{" "}
                  <code>npm run dev</code> (NODE_ENV=development); <code>npm start</code> and the image ask for a password.
                </p>
              </Alert>
              <DevSignInForm callbackUrl={callbackUrl} />
            </section>
          ) : null}

          {env.auth.localSignIn && !env.auth.localPasswordless ? (
            <section aria-labelledby="local-sign-in-heading" className="space-y-4">
              <h2 id="local-sign-in-heading" className="text-base font-semibold text-slate-900">
                Sign in with your account
              </h2>
              {firstAccount ? (
                <Alert tone="info" title="Nobody has an account here yet">
                  <p>
                    This is a fresh install.{" "}
                    <Link href="/onboarding" className="font-medium underline">
                      Create the first account
                    </Link>{" "}
                    and your workspace.
                  </p>
                </Alert>
              ) : null}
              <PasswordSignInForm callbackUrl={callbackUrl} />
              <p className="text-sm text-slate-600">No account? Ask a workspace admin for an invite link.</p>
            </section>
          ) : null}
        </div>
      </div>
    </main>
  );
}
