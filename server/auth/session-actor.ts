import { getServerSession } from "next-auth";
import type { Actor } from "./actor";
import { getAuthOptions } from "./next-auth-options";

/**
 * The signed-in person of the current request (server components, route handlers), if any.
 * next-auth runs our jwt callback here, which checks the cookie's session in the store: an ended
 * session (sign-out, removal, password change) reads as signed out.
 */
export async function getSessionActor(): Promise<Extract<Actor, { kind: "user" }> | undefined> {
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user?.id || !user.email) return undefined;
  return { kind: "user", userId: user.id, email: user.email, name: user.name || user.email };
}
