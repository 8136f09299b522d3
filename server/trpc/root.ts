import { accountRouter } from "../routers/account";
import { apiTokensRouter } from "../routers/api-tokens";
import { invitesRouter } from "../routers/invites";
import { auditRouter } from "../routers/audit";
import { hostsRouter } from "../routers/hosts";
import { meRouter } from "../routers/me";
import { profilesRouter } from "../routers/profiles";
import { membersRouter } from "../routers/members";
import { runsRouter } from "../routers/runs";
import { usageRouter } from "../routers/usage";
import { workspacesRouter } from "../routers/workspaces";
import { createCallerFactory, router } from "./init";

export const appRouter = router({
  me: meRouter,
  account: accountRouter,
  invites: invitesRouter,
  workspaces: workspacesRouter,
  members: membersRouter,
  apiTokens: apiTokensRouter,
  hosts: hostsRouter,
  profiles: profilesRouter,
  audit: auditRouter,
  runs: runsRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
