import type { NextAuthOptions } from "next-auth";
import AzureADProvider from "next-auth/providers/azure-ad";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { safeRedirectPath } from "@/app/_lib/safe-callback-url";
import { ZEmail, ZPersonName } from "@/prisma-free-schema";
import { getEnv } from "../env";
import { log } from "../log";
import { signInUser } from "../services/users/sign-in-user";
import { getStore } from "../store/store";
import { getAuthSecret } from "./auth-secret";

const ZLocalSignIn = z.object({ name: ZPersonName, email: ZEmail });

/**
 * next-auth for people: Microsoft Entra ID when configured, and a local sign-in (name and email,
 * no password) only in embedded mode or with AUTH_LOCAL_ENABLED=true. Sessions are JWTs in a
 * cookie; the platform's own user id rides in `sub`.
 */
let options: NextAuthOptions | undefined;

/** Built once per process: the settings it reads cannot change while the process runs. */
export function getAuthOptions(): NextAuthOptions {
  options ??= buildAuthOptions();
  return options;
}

function buildAuthOptions(): NextAuthOptions {
  const env = getEnv();
  // next-auth v4 reads its base URL from these variables only. Without PUBLIC_URL it would fall
  // back to http://localhost:3000; trusting the Host header is right for local use instead.
  if (env.publicUrl) process.env.NEXTAUTH_URL = env.publicUrl;
  else process.env.AUTH_TRUST_HOST = "true";
  const providers: NextAuthOptions["providers"] = [];
  if (env.auth.entra) {
    providers.push(
      AzureADProvider({ clientId: env.auth.entra.clientId, clientSecret: env.auth.entra.clientSecret, tenantId: env.auth.entra.tenantId }),
    );
  }
  if (env.auth.localSignIn) {
    providers.push(
      CredentialsProvider({
        id: "local",
        name: "Local sign-in",
        credentials: { name: { label: "Name", type: "text" }, email: { label: "Email", type: "email" } },
        async authorize(credentials) {
          const parsed = ZLocalSignIn.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          const user = await signInUser({ store: await getStore(), ...parsed.data, provider: "local" });
          return { id: user.id, email: user.email, name: user.name };
        },
      }),
    );
  }

  return {
    secret: getAuthSecret(),
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      // Every redirect next-auth makes (after sign-in, sign-out, an error) stays on this site.
      redirect: ({ url, baseUrl }) => `${baseUrl}${safeRedirectPath(url, { fallback: "/hosts", origin: baseUrl })}`,
      async signIn({ user, account }) {
        if (account?.provider !== "azure-ad") return true;
        const parsed = ZLocalSignIn.safeParse({ name: user.name ?? user.email, email: user.email });
        if (!parsed.success) return false;
        const stored = await signInUser({ store: await getStore(), ...parsed.data, provider: "entra" });
        user.id = stored.id;
        return true;
      },
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.email = user.email;
          token.name = user.name;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user) {
          session.user.id = token.sub ?? "";
          session.user.email = token.email ?? "";
          session.user.name = token.name ?? "";
        }
        return session;
      },
    },
    logger: {
      error: (code, metadata) => log.error("auth.error", { code, metadata }),
      warn: (code) => log.warn("auth.warning", { code }),
      debug: () => undefined,
    },
  };
}
