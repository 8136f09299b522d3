import type { NextAuthOptions } from "next-auth";
import AzureADProvider from "next-auth/providers/azure-ad";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { safeRedirectPath } from "@/app/_lib/safe-callback-url";
import { ZEmail, ZPassword, ZPersonName } from "@/prisma-free-schema";
import { getEnv } from "../env";
import { log } from "../log";
import { endSession, isSessionLive, startSession } from "../services/sessions/sessions";
import { signInIdentity } from "../services/users/sign-in-user";
import { signInWithPassword } from "../services/users/sign-in-with-password";
import { getStore } from "../store/store";
import { getAuthSecret } from "./auth-secret";
import { clientAddressOf } from "./client-address";
import { SIGN_IN_ERROR_PREFIX } from "./sign-in-error";

const ZPasswordSignIn = z.object({ email: ZEmail, password: z.string().min(1).max(ZPassword.maxLength ?? 200) });
const ZDevSignIn = z.object({ name: ZPersonName, email: ZEmail });
const ZEntraProfile = z.object({ oid: z.string().min(1).max(100).optional(), sub: z.string().min(1).max(100), tid: z.string().min(1).max(100) });

/** Thrown by the jwt callback for a cookie whose session was ended: next-auth then treats it as signed out. */
class SessionEnded extends Error {
  constructor() {
    super("session ended");
    this.name = "SessionEnded";
  }
}

/**
 * next-auth for people: Microsoft Entra ID when configured, and local accounts. Local accounts
 * sign in with email and password, except in development (NODE_ENV=development) where a name and
 * email is enough. The cookie is a signed JWT naming the person (`sub`) and a session document
 * (`sid`) in the store; every request checks that document, so ending it ends the cookie.
 */
let options: NextAuthOptions | undefined;

/** Built once per process: the settings it reads cannot change while the process runs. */
export function getAuthOptions(): NextAuthOptions {
  options ??= buildAuthOptions();
  return options;
}

function localProvider() {
  const env = getEnv();
  if (env.auth.localPasswordless) {
    return CredentialsProvider({
      id: "local",
      name: "Development sign-in",
      credentials: { name: { label: "Name", type: "text" }, email: { label: "Email", type: "email" } },
      async authorize(credentials) {
        const parsed = ZDevSignIn.safeParse(credentials ?? {});
        if (!parsed.success) return null;
        const user = await signInIdentity({ store: await getStore(), identity: { provider: "local", email: parsed.data.email }, ...parsed.data });
        return { id: user.id, email: user.email, name: user.name };
      },
    });
  }
  return CredentialsProvider({
    id: "local",
    name: "Local account",
    credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(credentials, req) {
      const parsed = ZPasswordSignIn.safeParse(credentials ?? {});
      if (!parsed.success) return null;
      const result = await signInWithPassword({ store: await getStore(), ...parsed.data, address: clientAddressOf(req?.headers) });
      if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name };
      if (result.reason === "wrong") return null;
      log.info("auth.sign_in_refused", { reason: result.reason });
      // next-auth hands a thrown message to the page as `?error=`; ours carry a prefix the page recognises.
      throw new Error(`${SIGN_IN_ERROR_PREFIX}${result.message}`);
    },
  });
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
  if (env.auth.localSignIn) providers.push(localProvider());

  return {
    secret: getAuthSecret(),
    session: { strategy: "jwt", maxAge: env.auth.sessionMaxAgeHours * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      // Every redirect next-auth makes (after sign-in, sign-out, an error) stays on this site.
      redirect: ({ url, baseUrl }) => `${baseUrl}${safeRedirectPath(url, { fallback: "/hosts", origin: baseUrl })}`,
      async signIn({ user, account, profile }) {
        if (account?.provider !== "azure-ad") return true;
        // The identity is the tenant and object id from Microsoft's signed id token, never the email.
        const claims = ZEntraProfile.safeParse(profile ?? {});
        const person = z.object({ name: ZPersonName, email: ZEmail }).safeParse({ name: user.name ?? user.email, email: user.email });
        if (!claims.success || !person.success) return false;
        const identity = { provider: "entra" as const, tenantId: claims.data.tid, objectId: claims.data.oid ?? claims.data.sub };
        const stored = await signInIdentity({ store: await getStore(), identity, ...person.data });
        user.id = stored.id;
        return true;
      },
      async jwt({ token, user, account }) {
        if (user) {
          const provider = account?.provider === "azure-ad" ? "entra" : "local";
          const session = await startSession(await getStore(), user.id, provider);
          return { sub: user.id, sid: session.id, email: user.email, name: user.name };
        }
        if (typeof token.sub !== "string" || typeof token.sid !== "string" || !(await isSessionLive(await getStore(), token.sub, token.sid))) {
          throw new SessionEnded();
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
    events: {
      // Signing out ends the session in the store, not just the cookie in this browser.
      async signOut({ token }) {
        if (typeof token?.sub === "string" && typeof token.sid === "string") await endSession(await getStore(), token.sub, token.sid);
      },
    },
    logger: {
      error: (code, metadata) => {
        const cause = ((metadata as { error?: unknown } | undefined)?.error ?? metadata) as { name?: unknown } | undefined;
        // An ended session's cookie is a normal event (sign-out, removal), not a server error.
        if (cause?.name === "SessionEnded") return log.debug("auth.session_ended_cookie", { code });
        log.error("auth.error", { code, metadata });
      },
      warn: (code) => log.warn("auth.warning", { code }),
      debug: () => undefined,
    },
  };
}
