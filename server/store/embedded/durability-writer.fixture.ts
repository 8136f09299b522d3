/**
 * Test fixture for the SIGKILL durability test: opens the embedded store on the folder given,
 * writes documents one after another and prints `ack <id>` after each write the store
 * acknowledged, until the test kills it.
 */
import { openStore } from "../store";

async function main(): Promise<void> {
  const dataDir = process.argv[2]!;
  const store = await openStore({ store: { mode: "embedded", database: "test" }, dataDir });
  const container = await store.container({ id: "durability", partitionKey: "/id", uniqueKeys: [] });
  for (let i = 0; ; i += 1) {
    const id = `doc-${i}`;
    await container.items.create({ id, payload: "x".repeat(200) });
    process.stdout.write(`ack ${id}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
