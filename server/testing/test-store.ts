import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TScope } from "@/prisma-free-schema";
import type { Actor } from "../auth/actor";
import { log } from "../log";
import { signInIdentity } from "../services/users/sign-in-user";
import { createWorkspace } from "../services/workspaces/create-workspace";
import { openStore, type Store } from "../store/store";
import type { EmbeddedThread } from "../threads/embedded-thread";
import { createCaller } from "../trpc/root";

/**
 * A real embedded store in a fresh temporary DATA_DIR; `close` stops it and removes the folder.
 * It runs on the test's own thread unless asked otherwise: a thread of its own takes half a
 * second to start, and tests measure behaviour, not the platform thread's share.
 */
export async function openTestStore(
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-test-")),
  options: { embeddedThread?: EmbeddedThread } = {},
): Promise<Store & { dataDir: string; destroy(): Promise<void> }> {
  const store = await openStore({ store: { mode: "embedded", database: "test" }, dataDir, embeddedThread: options.embeddedThread ?? "caller" });
  return Object.assign(store, {
    dataDir,
    async destroy() {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** A person who has signed in with a local account (how they proved it is the sign-in tests' business). */
export async function signedInPerson(store: Store, email: string, name = email.split("@")[0]!): Promise<Extract<Actor, { kind: "user" }>> {
  const user = await signInIdentity({ store, identity: { provider: "local", email }, email, name });
  return { kind: "user", userId: user.id, email: user.email, name: user.name };
}

/** The token part of an invite link (after `#`). */
export function inviteTokenOf(link: string): string {
  return link.slice(link.indexOf("#") + 1);
}

/** The address test callers "reached" the platform at; bundles name it when PUBLIC_URL is unset. */
export const TEST_ORIGIN = "http://localhost:3000";

/** The typed tRPC caller with a real context, exactly as the route handler builds it. */
export function callerAs(store: Store, actor: Actor | undefined) {
  return createCaller({ requestId: "test-request", store, actor, bearerRejected: false, log, origin: TEST_ORIGIN });
}

export type TestStore = Awaited<ReturnType<typeof openTestStore>>;
export type TestWorkspace = Awaited<ReturnType<typeof workspaceWithOwner>>;

/** A workspace owned by a fresh person, and optionally a member holding only `scopes`. */
export async function workspaceWithOwner(store: Store, ownerEmail: string) {
  const owner = await signedInPerson(store, ownerEmail);
  const workspace = await createWorkspace({ store, actor: owner, name: `${ownerEmail} team` });
  return { owner, workspace, ownerCaller: callerAs(store, owner) };
}

/** A person the owner invited with `scopes`, who signed in and accepted the link. */
export async function addSignedInMember(store: Store, workspaceId: string, owner: Actor, email: string, scopes: TScope[]) {
  const { link } = await callerAs(store, owner).members.add({ workspaceId, email, scopes });
  const person = await signedInPerson(store, email);
  await callerAs(store, person).invites.accept({ token: inviteTokenOf(link) });
  return person;
}


/** The same store with one container unreachable, as in a store outage half-way through a change. */
export function withContainerDown(store: Store, containerId: string): Store {
  return {
    mode: store.mode,
    database: store.database,
    container: (definition) => (definition.id === containerId ? Promise.reject(new Error(`${containerId} container unreachable`)) : store.container(definition)),
    ping: (timeoutMs) => store.ping(timeoutMs),
    close: () => store.close(),
  };
}
