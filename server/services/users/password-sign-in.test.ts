import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userStore } from "../../store/user-store";
import { openTestStore, signedInPerson, type TestStore } from "../../testing/test-store";
import { useSettings } from "../../testing/settings";
import { createLocalAccount } from "./create-local-account";
import { changePassword } from "./change-password";
import { countSignInAttempt } from "./sign-in-attempts";
import { signInWithPassword } from "./sign-in-with-password";

useSettings({ SIGNIN_MAX_FAILURES_PER_ACCOUNT: "3", SIGNIN_MAX_FAILURES_PER_ADDRESS: "6", SIGNIN_WINDOW_SECONDS: "600" });

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
  await createLocalAccount({ store, name: "Ada", email: "ada@pw.example", password: "correct horse battery" });
});
afterAll(() => store.destroy());

const signIn = (email: string, password: string, address = "203.0.113.7") => signInWithPassword({ store, email, password, address });

describe("password sign-in", () => {
  it("knowing the email is not enough: only the right password signs in", async () => {
    expect(await signIn("ada@pw.example", "correct horse battery")).toMatchObject({ ok: true, user: { email: "ada@pw.example", name: "Ada" } });
    expect(await signIn("ada@pw.example", "")).toEqual({ ok: false, reason: "wrong", message: "Wrong email or password." });
    expect(await signIn("ada@pw.example", "Correct horse battery")).toMatchObject({ ok: false, reason: "wrong" });
    // An unknown email reads exactly like a wrong password.
    expect(await signIn("nobody@pw.example", "correct horse battery")).toEqual({ ok: false, reason: "wrong", message: "Wrong email or password." });
  });

  it("stores only a salted scrypt hash, never the password", async () => {
    const account = (await signIn("ada@pw.example", "correct horse battery")) as { ok: true; user: { id: string } };
    const stored = await userStore(store).get(account.user.id);
    expect(stored?.password).toMatchObject({ algorithm: "scrypt", cost: 32768, blockSize: 8 });
    expect(JSON.stringify(stored)).not.toContain("correct horse battery");
    const other = await createLocalAccount({ store, name: "Bo", email: "bo@pw.example", password: "correct horse battery" });
    expect(other.password?.hash).not.toBe(stored?.password?.hash);
  });

  it("refuses a flood against one account from one address, even with the right password, and says when to retry", async () => {
    await createLocalAccount({ store, name: "Cy", email: "cy@pw.example", password: "cy's long password" });
    for (let i = 0; i < 3; i += 1) expect(await signIn("cy@pw.example", `guess ${i}`, "198.51.100.1")).toMatchObject({ reason: "wrong" });
    const refused = await signIn("cy@pw.example", "cy's long password", "198.51.100.1");
    expect(refused).toMatchObject({ ok: false, reason: "rate-limited", message: expect.stringMatching(/^Too many failed sign-in attempts for this account\. Try again in (10|9) minutes\.$/) });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(500);
  });

  it("never locks the owner out from their own address, however many wrong passwords others send for the account", async () => {
    await createLocalAccount({ store, name: "Flo", email: "flo@pw.example", password: "flo's long password" });
    for (let address = 0; address < 5; address += 1) {
      for (let i = 0; i < 4; i += 1) await signIn("flo@pw.example", `guess ${i}`, `198.51.100.${10 + address}`);
    }
    expect(await signIn("flo@pw.example", "flo's long password", "198.51.100.10")).toMatchObject({ reason: "rate-limited" });
    expect(await signIn("flo@pw.example", "flo's long password", "203.0.113.70")).toMatchObject({ ok: true, user: { email: "flo@pw.example" } });
    // Nor from changing the password there.
    const flo = (await signIn("flo@pw.example", "flo's long password", "203.0.113.70")) as { ok: true; user: { id: string; email: string; name: string } };
    await changePassword({
      store,
      actor: { kind: "user", userId: flo.user.id, email: flo.user.email, name: flo.user.name },
      currentPassword: "flo's long password",
      newPassword: "flo's second password",
      address: "203.0.113.70",
    });
    expect(await signIn("flo@pw.example", "flo's second password", "203.0.113.70")).toMatchObject({ ok: true });
  });

  it("lets no more wrong passwords through than the limit, however many arrive at once", async () => {
    await createLocalAccount({ store, name: "Gil", email: "gil@pw.example", password: "gil's long password" });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn("gil@pw.example", `concurrent guess ${i}`, "198.51.100.40")));
    expect(results.filter((result) => result.ok === false && result.reason === "wrong")).toHaveLength(3);
    expect(results.filter((result) => result.ok === false && result.reason === "rate-limited")).toHaveLength(37);
  });

  it("counts an IPv6 client by its /64, so changing address inside it buys no more tries", async () => {
    await createLocalAccount({ store, name: "Hal", email: "hal@pw.example", password: "hal's long password" });
    for (let i = 0; i < 3; i += 1) expect(await signIn("hal@pw.example", `guess ${i}`, `2001:db8:5:6::${i + 1}`)).toMatchObject({ reason: "wrong" });
    expect(await signIn("hal@pw.example", "hal's long password", "2001:db8:5:6:ffff::99")).toMatchObject({ reason: "rate-limited" });
    expect(await signIn("hal@pw.example", "hal's long password", "2001:db8:5:7::1")).toMatchObject({ ok: true });
  });

  it("a right password clears the account's count from that address", async () => {
    await createLocalAccount({ store, name: "Ike", email: "ike@pw.example", password: "ike's long password" });
    // Without the clearing, the second round's first typo would be refused (3 tries allowed).
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < 2; i += 1) expect(await signIn("ike@pw.example", `typo ${i}`, "203.0.113.80")).toMatchObject({ reason: "wrong" });
      expect(await signIn("ike@pw.example", "ike's long password", "203.0.113.80")).toMatchObject({ ok: true });
    }
  });

  it("refuses a flood from one address spread over many accounts", async () => {
    const address = "192.0.2.44";
    for (let i = 0; i < 6; i += 1) expect(await signIn(`spray${i}@pw.example`, "password123456", address)).toMatchObject({ reason: "wrong" });
    expect(await signIn("ada@pw.example", "correct horse battery", address)).toMatchObject({
      ok: false,
      reason: "rate-limited",
      message: expect.stringContaining("from your network address"),
    });
    // The account itself is fine from elsewhere.
    expect(await signIn("ada@pw.example", "correct horse battery", "192.0.2.45")).toMatchObject({ ok: true });
  });

  it("keeps counting across a restart: the counters are in the store", async () => {
    const dataDir = store.dataDir;
    await createLocalAccount({ store, name: "Di", email: "di@pw.example", password: "di's long password" });
    for (let i = 0; i < 3; i += 1) await signIn("di@pw.example", `nope ${i}`, "100.64.0.1");
    await store.close();
    store = await openTestStore(dataDir);
    expect(await signIn("di@pw.example", "di's long password", "100.64.0.1")).toMatchObject({ reason: "rate-limited" });
  });

  it("allows tries again once the window is over", async () => {
    const start = Date.now();
    for (let i = 0; i < 3; i += 1) await countSignInAttempt(store, "eve@pw.example", undefined, start);
    expect(await countSignInAttempt(store, "eve@pw.example", undefined, start + 1000)).toMatchObject({ allowed: false, by: "account" });
    expect(await countSignInAttempt(store, "eve@pw.example", undefined, start + 601_000)).toMatchObject({ allowed: true });
  });

  it("refuses an account made before passwords, saying how to get one", async () => {
    // Development's passwordless sign-in (and every account before this release) leaves no password.
    await signedInPerson(store, "old@pw.example", "Old");
    expect(await signIn("old@pw.example", "anything at all 123")).toMatchObject({
      ok: false,
      reason: "no-password",
      message: expect.stringContaining("Ask the platform operator for a set-password link"),
    });
  });
});
