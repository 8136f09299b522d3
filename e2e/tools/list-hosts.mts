/**
 * A small internal tool on the client (packages/client), run by the end-to-end suite as a plain Node process:
 *   DP_URL=http://127.0.0.1:3000 DP_TOKEN=dpt_… node --import tsx e2e/tools/list-hosts.mts
 * Prints one JSON line: the workspace the token opens and its hosts. Exits 1 with the
 * platform's message when the call is refused.
 */
import { createDiscoParrotClient } from "../../client";

const parrot = createDiscoParrotClient({ url: process.env.DP_URL!, token: process.env.DP_TOKEN! });

try {
  const [workspace] = await parrot.workspaces.mine.query();
  const hosts = await parrot.hosts.list.query({ workspaceId: workspace!.id, limit: 50 });
  console.log(JSON.stringify({ workspace: workspace!.name, scopes: workspace!.scopes, hosts: hosts.items.map((h) => h.name) }));
} catch (error) {
  console.error(`refused: ${(error as Error).message}`);
  process.exit(1);
}
