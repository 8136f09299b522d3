import path from "node:path";
import { parseArgs } from "node:util";
import { keptSecret } from "../kept-secret";
import { startEmbeddedCosmos } from "../store/embedded/embedded-cosmos-server";
import { stopOnSignal } from "./stop-on-signal";

/**
 * `npm run store`: the embedded store as a process of its own, so several platform processes can
 * share it exactly as they would share an Azure Cosmos DB account, through COSMOS_ENDPOINT and
 * COSMOS_KEY (printed on start). Its data and its key are kept under the data folder, so a restart
 * keeps both; only one store may hold a folder at a time.
 *
 *   npm run store -- [--port 8081] [--data-dir .data]
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.EMBEDDED_STORE_PORT ?? "8081" },
    "data-dir": { type: "string", default: process.env.DATA_DIR ?? ".data" },
  },
});

async function main(): Promise<void> {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number; got ${values.port}`);
  const dataDir = path.resolve(values["data-dir"]!);
  const store = await startEmbeddedCosmos({ dataDir, port, key: keptSecret(path.join(dataDir, "cosmos", "store-key"), "base64") });
  process.stdout.write(`# The embedded store serves ${dataDir} on ${store.endpoint}. Give the platform:\nCOSMOS_ENDPOINT=${store.endpoint}\nCOSMOS_KEY=${store.key}\n`);
  stopOnSignal(() => store.stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`disco-parrot store: ${(error as Error).message}\n`);
  process.exit(1);
});
