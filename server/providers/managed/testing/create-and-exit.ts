/**
 * Starts one managed sandbox under `root` (argv[2]) and exits at once, printing the sandbox as
 * JSON: a platform process that ends while its sandbox runs on, for the test that a sandbox
 * outlives a platform restart. The sidecar gets an access URL nobody answers, so it keeps
 * retrying; what matters is that it is still running after this process is gone.
 */
import { newId, type TSandbox } from "@/prisma-free-schema";
import { LocalProcessProvider } from "../local-process-provider";

const root = process.argv[2]!;
const now = new Date().toISOString();
const sandbox: TSandbox = {
  id: newId("sbx"),
  type: "sandbox",
  workspaceId: newId("ws"),
  ownerId: newId("usr"),
  definition: {
    profileId: newId("prof"),
    template: "shell",
    provider: "managed",
    hostId: null,
    image: "discoparrot/sandbox",
    tag: "latest",
    resourceClass: "small",
    workloadIdentityClientId: null, workloadIdentityTenantId: null,
    persistentWorkspace: false,
    agent: "shell",
  },
  status: "starting",
  failure: null,
  tokenExpiresAt: null,
  meteredUntil: null,
  meterPending: null,
  createdAt: now,
  readyAt: null,
  lastActiveAt: null,
  pausedAt: null,
  destroyedAt: null,
};

void new LocalProcessProvider(root).create(sandbox, "ws://127.0.0.1:9/client/hubs/discoparrot?access_token=none").then(() => {
  process.stdout.write(`${JSON.stringify(sandbox)}\n`);
  process.exit(0);
});
