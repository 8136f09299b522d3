// `npm start`: serve the standalone build (`npm run build`) on $PORT with the same embedded
// defaults as development. Next's standalone server.js changes its working directory to its
// own folder, so DATA_DIR is made absolute here, against the folder `npm start` ran in.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const server = path.join(root, ".next", "standalone", "server.js");
if (!fs.existsSync(server)) {
  process.stderr.write("disco-parrot: no production build found; run `npm run build` first\n");
  process.exit(1);
}
process.env.DATA_DIR = path.resolve(process.env.DATA_DIR || ".data");
process.env.NODE_ENV = "production";
// The platform stops itself on SIGTERM (server/graceful-stop.ts): it ends its event streams and
// gives up its leases first, which Next's own handler would not wait for.
process.env.NEXT_MANUAL_SIG_HANDLE = "true";
// Next's standalone server binds to $HOSTNAME, which some shells and container runtimes set
// to the machine's name; BIND_ADDRESS is ours and says what is meant.
process.env.HOSTNAME = process.env.BIND_ADDRESS || "0.0.0.0";
await import(server);
