import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/server/auth/session-actor";
import { passwordAccountsEnabled } from "@/server/services/users/local-mode";
import { accountOf } from "@/server/services/users/account-of";
import { getStore } from "@/server/store/store";
import { Alert } from "@/app/_components/alert";
import { ChangePasswordForm } from "./_components/change-password-form";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/signin");
  const account = await accountOf(await getStore(), actor.userId);
  if (account?.provider !== "local") {
    return <Alert tone="info">You sign in with Microsoft; your password and sessions are managed there.</Alert>;
  }
  if (!passwordAccountsEnabled()) {
    return <Alert tone="info">Development sign-in has no passwords. Production (npm start, the image) asks for one.</Alert>;
  }
  return <ChangePasswordForm email={account.email} />;
}
