import type { TUser } from "@/prisma-free-schema";
import { userStore } from "../../store/user-store";
import type { Store } from "../../store/store";

/** How a signed-in person signs in, and with which email: what their account page shows. */
export async function accountOf(store: Store, userId: string): Promise<{ provider: TUser["identity"]["provider"]; email: string } | undefined> {
  const user = await userStore(store).get(userId);
  return user ? { provider: user.identity.provider, email: user.email } : undefined;
}
