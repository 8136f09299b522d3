"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ZInviteToken } from "@/prisma-free-schema/invite";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { SignOutButton } from "@/app/_components/sign-out-button";
import { errorMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { setWorkspaceCookie } from "@/app/_lib/workspace-cookie";
import { NewAccountForm } from "./new-account-form";
import { forgetInviteToken, readInviteToken } from "./invite-token";
import { signInLocally } from "@/app/signin/_components/sign-in-locally";

interface Props {
  viewer: { email: string; name: string } | null;
  passwordAccounts: boolean;
  devSignIn: boolean;
  entra: boolean;
}

export function InviteAcceptance({ viewer, passwordAccounts, devSignIn, entra }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const [token, setToken] = useState<string | null>();
  useEffect(() => setToken(readInviteToken() ?? null), []);

  const wellFormed = token ? ZInviteToken.safeParse(token) : undefined;
  const invite = useQuery({ ...trpc.invites.describe.queryOptions({ token: token ?? "" }), enabled: Boolean(wellFormed?.success), retry: false });
  const accept = useMutation(
    trpc.invites.accept.mutationOptions({
      onSuccess: ({ workspaceId }) => {
        forgetInviteToken();
        setWorkspaceCookie(workspaceId);
        router.push("/hosts");
        router.refresh();
      },
    }),
  );

  if (token === undefined) return <p className="text-sm text-slate-600">Opening your invite…</p>;
  if (token === null) {
    return <Alert tone="error" title="No invite here">Open the whole link you were sent; it ends with a long code after “#”.</Alert>;
  }
  if (wellFormed && !wellFormed.success) {
    return (
      <Alert tone="error" title="This invite cannot be used">
        {wellFormed.error.issues[0]?.message}
      </Alert>
    );
  }
  if (invite.isPending) return <p className="text-sm text-slate-600">Checking your invite…</p>;
  if (invite.isError) {
    return (
      <Alert tone="error" title="This invite cannot be used">
        {errorMessage(invite.error)}
      </Alert>
    );
  }

  const { workspaceName, scopes, expiresAt, email } = invite.data;
  const where = workspaceName ? `join ${workspaceName}` : "create an account on this platform";
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">You are invited to {where}</h1>
        <p className="mt-2 text-sm text-slate-600">
          {scopes.length > 0 ? <>With these scopes: {scopes.join(", ")}. </> : null}
          The link works once and expires {new Date(expiresAt).toUTCString()}.
        </p>
      </div>

      {viewer && workspaceName ? (
        <div className="space-y-3">
          <button type="button" disabled={accept.isPending || accept.isSuccess} onClick={() => accept.mutate({ token })} className={ui.primaryButton}>
            {accept.isPending || accept.isSuccess ? "Joining…" : `Join as ${viewer.email}`}
          </button>
          {accept.error ? <Alert tone="error">{errorMessage(accept.error)}</Alert> : null}
          <p className="text-sm text-slate-600">Not you? Sign out, then open the link again.</p>
          <SignOutButton />
        </div>
      ) : null}

      {viewer && !workspaceName ? (
        <Alert tone="info" title="You are signed in">
          This link is for creating a new account. Sign out first to use it. <SignOutButton />
        </Alert>
      ) : null}

      {!viewer ? (
        <div className="space-y-5">
          {passwordAccounts ? (
            <section aria-labelledby="new-account-heading" className="space-y-3">
              <h2 id="new-account-heading" className="text-base font-semibold text-slate-900">
                Create your account
              </h2>
              <NewAccountForm
                token={token}
                // The link works only for the address it was made for: the form fills it in and holds it.
                boundEmail={email}
                onDone={async (credentials, workspaceId) => {
                  forgetInviteToken();
                  const target = workspaceId ? "/hosts" : "/onboarding";
                  const problem = await signInLocally(credentials, target);
                  if (workspaceId) setWorkspaceCookie(workspaceId);
                  router.push(problem ? "/signin" : target);
                  router.refresh();
                }}
              />
            </section>
          ) : null}
          {workspaceName ? (
            <p className="text-sm text-slate-600">
              Already have an account?{" "}
              <Link href="/signin?callbackUrl=/invite" className={ui.link}>
                Sign in
              </Link>{" "}
              {entra ? "(with Microsoft or your password) " : ""}and you will come back here to accept.
              {devSignIn ? " Development sign-in needs no account." : ""}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
