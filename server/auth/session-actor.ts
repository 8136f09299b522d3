import { getServerSession } from "next-auth";
import { cache } from "react";
import type { Actor } from "./actor";
import { getAuthOptions } from "./next-auth-options";

/**
 * The signed-in person of the current request (server components, route handlers), if any.
 * next-auth runs our jwt callback here, which checks the cookie's session in the store: an ended
 * session (sign-out, removal, password change) reads as signed out.
 * Asked once per page render (React's cache(), scoped to one server render): the layout and the
 * page's prefetch context both ask. Outside a render (route handlers, server actions) cache() keeps
 * nothing, so each call checks the session again, as a long-lived stream needs.
 */
export const getSessionActor = cache(async (): Promise<Extract<Actor, { kind: "user" }> | undefined> => {
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user?.id || !user.email) return undefined;
  return { kind: "user", userId: user.id, email: user.email, name: user.name || user.email };
});
