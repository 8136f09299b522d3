/**
 * Profile creations through the tRPC router, one after another from several callers at once,
 * each audited (audited-creations.test.ts kills this process with SIGKILL in the middle):
 *
 *   audited-creations.fixture.ts <dataDir> <count>
 *
 * Prints {workspaceId} once, then {created: n} after every 25 creations.
 */
import { DEFAULT_PROFILE_SETTINGS } from "@/prisma-free-schema";
import { openTestStore, workspaceWithOwner } from "../../testing/test-store";

const CALLERS = 8;

async function main(): Promise<void> {
  const [dataDir, count] = process.argv.slice(2);
  const store = await openTestStore(dataDir);
  const { workspace, ownerCaller } = await workspaceWithOwner(store, "kill@audited.example");
  process.stdout.write(`${JSON.stringify({ workspaceId: workspace.id })}\n`);
  let next = 0;
  let created = 0;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < Number(count)) {
        const i = next++;
        // As a client would: "try again in a moment" (the workspace's cap lock busy with the other callers) is tried again.
        for (let attempt = 1; ; attempt += 1) {
          try {
            await ownerCaller.profiles.create({ workspaceId: workspace.id, ...DEFAULT_PROFILE_SETTINGS, name: `Profile ${i}` });
            break;
          } catch (error) {
            if (attempt >= 10 || !/try again in a moment/.test(String(error))) throw error;
            await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
          }
        }
        created += 1;
        if (created % 25 === 0) process.stdout.write(`${JSON.stringify({ created })}\n`);
      }
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
