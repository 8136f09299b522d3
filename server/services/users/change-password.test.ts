import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTAINERS } from "@/prisma-free-schema";
import type { Actor } from "../../auth/actor";
import type { Store } from "../../store/store";
import { useSettings } from "../../testing/settings";
import { openTestStore, type TestStore, withContainerDown } from "../../testing/test-store";
import { isSessionLive, startSession } from "../sessions/sessions";
import { changePassword } from "./change-password";
import { createLocalAccount } from "./create-local-account";
import { signInWithPassword } from "./sign-in-with-password";

useSettings({ SIGNIN_MAX_FAILURES_PER_ACCOUNT: "3", SIGNIN_MAX_FAILURES_PER_ADDRESS: "50", SIGNIN_WINDOW_SECONDS: "600" });

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(() => store.destroy());

async function person(email: string, password: string): Promise<Extract<Actor, { kind: "user" }>> {
  const user = await createLocalAccount({ store, name: email.split("@")[0]!, email, password });
  return { kind: "user", userId: user.id, email: user.email, name: user.name };
}

/** The same store with its sessions container unreachable, as in a store outage half-way through. */
const sessionsDown = (): Store => withContainerDown(store, CONTAINERS.sessions.id);

describe("changing a password", () => {
  it("lets no more guesses of the current password through than the limit, however many arrive at once", async () => {
    const actor = await person("guessed@cp.example", "the real password");
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => changePassword({ store, actor, currentPassword: `guess ${i} of many`, newPassword: "attacker's password", address: "198.51.100.7" })),
    );
    const reasons = results.map((result) => (result.status === "rejected" ? (result.reason as { code: string }).code : "changed"));
    expect(reasons.filter((code) => code === "BAD_REQUEST")).toHaveLength(3);
    expect(reasons.filter((code) => code === "TOO_MANY_REQUESTS")).toHaveLength(17);
    expect(await signInWithPassword({ store, email: "guessed@cp.example", password: "the real password", address: "203.0.113.5" })).toMatchObject({ ok: true });
  });

  it("when the store fails, never leaves a new password with the old sessions alive: nothing changes, and it works once the store answers", async () => {
    const actor = await person("outage@cp.example", "first long password");
    const session = await startSession(store, actor.userId, "local");
    await expect(changePassword({ store: sessionsDown(), actor, currentPassword: "first long password", newPassword: "second long password", address: "203.0.113.6" })).rejects.toThrow();
    expect(await signInWithPassword({ store, email: "outage@cp.example", password: "first long password", address: "203.0.113.6" })).toMatchObject({ ok: true });

    await changePassword({ store, actor, currentPassword: "first long password", newPassword: "second long password", address: "203.0.113.6" });
    expect(await isSessionLive(store, actor.userId, session.id)).toBe(false);
    expect(await signInWithPassword({ store, email: "outage@cp.example", password: "second long password", address: "203.0.113.6" })).toMatchObject({ ok: true });
  });
});
