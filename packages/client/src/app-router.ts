import type { TRPCBuiltRouter } from "@trpc/server";
import type { AppRouter as PlatformRouter } from "../../../server/trpc/root";

type PlatformTypes = PlatformRouter["_def"]["_config"]["$types"];

/**
 * The platform's router as a client sees it: every procedure with its input and output, and the
 * error shape, but not the server's request context (the store, the signed-in actor), which a
 * client never handles and whose types would drag the server's dependencies into the package.
 */
export type AppRouter = TRPCBuiltRouter<
  { ctx: object; meta: PlatformTypes["meta"]; errorShape: PlatformTypes["errorShape"]; transformer: PlatformTypes["transformer"] },
  PlatformRouter["_def"]["record"]
>;
