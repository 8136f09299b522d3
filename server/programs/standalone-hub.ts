import { parseArgs } from "node:util";
import { startEmbeddedHub } from "../channel/embedded/embedded-hub";
import { EVENT_HANDLER_PATH } from "../channel/channel";
import { stopOnSignal } from "./stop-on-signal";

/**
 * `npm run hub`: the embedded Web PubSub hub as a process of its own, so several platform
 * processes can share it exactly as they would share an Azure Web PubSub resource, through
 * WEBPUBSUB_CONNECTION_STRING (printed on start). Like Azure's, it posts every client's events to
 * one event handler: the platform's address, or the load balancer in front of several.
 * The access key is EMBEDDED_HUB_ACCESS_KEY when set (so a restart keeps the connection string), else random.
 *
 *   npm run hub -- [--port 8080] [--event-handler http://127.0.0.1:3000/api/channel/events]
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.EMBEDDED_HUB_PORT ?? "8080" },
    "event-handler": { type: "string", default: `http://127.0.0.1:${process.env.PORT ?? "3000"}${EVENT_HANDLER_PATH}` },
  },
});

async function main(): Promise<void> {
  const hub = await startEmbeddedHub({ port: Number(values.port), eventHandlerUrl: values["event-handler"], accessKey: process.env.EMBEDDED_HUB_ACCESS_KEY || undefined });
  process.stdout.write(`# The embedded hub posts its events to ${values["event-handler"]}. Give the platform:\nWEBPUBSUB_CONNECTION_STRING=${hub.connectionString}\n`);
  stopOnSignal(() => hub.stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`disco-parrot hub: ${(error as Error).message}\n`);
  process.exit(1);
});
