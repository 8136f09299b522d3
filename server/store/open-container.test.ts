import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTAINERS } from "@/prisma-free-schema";
import { openTestStore, type TestStore } from "../testing/test-store";
import { openContainer } from "./open-container";

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(() => store.destroy());

const excludedPaths = async (id: string) => (await store.database.container(id).read()).resource?.indexingPolicy?.excludedPaths?.map(({ path }) => path) ?? [];

describe("opening a container", () => {
  it("makes the run log's container with what is inside its event ranges left out of the index", async () => {
    await store.container(CONTAINERS.runEvents);
    expect(await excludedPaths(CONTAINERS.runEvents.id)).toContain("/events/*");
  });

  it("narrows the index of a container an older version made with every path indexed, and keeps its documents", async () => {
    const definition = { ...CONTAINERS.runEvents, id: "runEventsFromBefore" };
    const { container: older } = await store.database.containers.create({ id: definition.id, partitionKey: { paths: [definition.partitionKey] } });
    await older.items.create({ id: "events-1", runId: "run_1", events: [{ seq: 1 }] });
    expect(await excludedPaths(definition.id)).not.toContain("/events/*");

    await openContainer(store.database, definition);
    expect(await excludedPaths(definition.id)).toContain("/events/*");
    expect((await older.item("events-1", "run_1").read()).resource).toMatchObject({ events: [{ seq: 1 }] });
    // Opened again, it is left alone.
    const { resource: before } = await store.database.container(definition.id).read();
    await openContainer(store.database, definition);
    expect((await store.database.container(definition.id).read()).resource?._etag).toBe(before?._etag);
  });

  it("leaves Cosmos DB's default index on a container that asks for nothing else", async () => {
    await store.container(CONTAINERS.hosts);
    expect(await excludedPaths(CONTAINERS.hosts.id)).toEqual([]);
  });
});
