/**
 * The embedded store, through @azure/cosmos over loopback: point-read and create latency, create
 * throughput, and the cost of durability (journal + signature check) as a ratio against the
 * package's own in-memory server, measured in the same run with the same client.
 */
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { CosmosClient, type Container } from "@azure/cosmos";
import { createHttpServer } from "@vercel/cosmosdb-server";
import { startEmbeddedCosmos } from "../server/store/embedded/embedded-cosmos-server";
import { emit, percentile, throughput, timeEach } from "./measure";

const DOCS = 2000;
const doc = (i: number) => ({ id: `doc-${i}`, ws: `ws-${i % 20}`, name: `name-${i}`, payload: "x".repeat(300) });

async function measure(label: string, container: Container) {
  // Warm up the JIT and the connection pool on ids outside the measured range.
  await throughput(500, 8, (i) => container.items.create({ ...doc(i), id: `warm-${i}` }));
  await timeEach(500, (i) => container.item(`warm-${i}`, `ws-${i % 20}`).read());
  const creates = await throughput(DOCS, 8, (i) => container.items.create(doc(i)));
  const reads = await timeEach(1000, (i) => container.item(`doc-${i}`, `ws-${i % 20}`).read());
  const writes = await timeEach(500, (i) => container.items.create(doc(DOCS + i)));
  emit({ bench: "store", metric: `${label}.create_throughput_c8`, value: creates, unit: "ops/s" });
  emit({ bench: "store", metric: `${label}.point_read_p50`, value: percentile(reads, 50), unit: "ms" });
  emit({ bench: "store", metric: `${label}.point_read_p99`, value: percentile(reads, 99), unit: "ms" });
  emit({ bench: "store", metric: `${label}.create_p50`, value: percentile(writes, 50), unit: "ms" });
  emit({ bench: "store", metric: `${label}.create_p99`, value: percentile(writes, 99), unit: "ms" });
  return creates;
}

async function container(client: CosmosClient): Promise<Container> {
  const { database } = await client.databases.createIfNotExists({ id: "bench" });
  const { container: created } = await database.containers.createIfNotExists({ id: "docs", partitionKey: { paths: ["/ws"] } });
  return created;
}

export async function run(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-bench-store-"));
  const embedded = await startEmbeddedCosmos({ dataDir });
  const embeddedClient = new CosmosClient({ endpoint: embedded.endpoint, key: embedded.key });
  const durable = await measure("embedded", await container(embeddedClient));

  const raw = createHttpServer({ keepAlive: true } as never);
  await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
  const rawClient = new CosmosClient({
    endpoint: `http://127.0.0.1:${(raw.address() as AddressInfo).port}`,
    key: "cmF3",
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const memory = await measure("in_memory_baseline", await container(rawClient));
  emit({ bench: "store", metric: "embedded_vs_in_memory.create_throughput", value: durable / memory, unit: "ratio" });

  const journal = fs.statSync(path.join(dataDir, "cosmos", "journal.jsonl")).size;
  emit({ bench: "store", metric: "journal_bytes_per_document", value: journal / (DOCS + 1000), unit: "bytes" });

  embeddedClient.dispose();
  rawClient.dispose();
  await embedded.stop();
  await new Promise((resolve) => raw.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
