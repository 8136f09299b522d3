import { newId, type TSession } from "@/prisma-free-schema";
import { getEnv } from "../../env";
import { log } from "../../log";
import { sessionStore } from "../../store/session-store";
import type { Store } from "../../store/store";

/**
 * Sessions live in the store, one document per signed-in browser; the cookie (a signed JWT) only
 * names it. A cookie is honoured while its document exists, so ending a session is deleting the
 * document: a copy of the cookie made before stops working on its next request, in any process.
 */
export async function startSession(store: Store, userId: string, provider: TSession["provider"]): Promise<TSession> {
  const lifetime = getEnv().auth.sessionMaxAgeHours * 3600;
  const now = Date.now();
  const session: TSession = {
    id: newId("ses"),
    type: "session",
    userId,
    provider,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + lifetime * 1000).toISOString(),
    ttl: lifetime,
  };
  const { etag: _etag, ...created } = await sessionStore(store).create(session);
  return created;
}

/** Whether the session a cookie names is still live (exists, belongs to that person, not past its end). */
export async function isSessionLive(store: Store, userId: string, sessionId: string, now = Date.now()): Promise<boolean> {
  const session = await sessionStore(store).get(userId, sessionId);
  return Boolean(session && session.userId === userId && Date.parse(session.expiresAt) > now);
}

/** Sign-out: this browser's session ends. */
export async function endSession(store: Store, userId: string, sessionId: string): Promise<void> {
  await sessionStore(store).delete(userId, sessionId);
}

/**
 * Every session of a person ends (a password change, removal from a workspace, a scope taken
 * away), except `keep` when the change was made from that session and it should stay signed in.
 */
export async function endAllSessions(store: Store, userId: string, reason: string, keep?: string): Promise<number> {
  const sessions = sessionStore(store);
  let ended = 0;
  for (const session of await sessions.listForUser(userId)) {
    if (session.id === keep) continue;
    await sessions.delete(userId, session.id);
    ended += 1;
  }
  log.info("auth.sessions_ended", { userId, reason, ended });
  return ended;
}
