import { z } from "zod";
import { ZPlanName, ZWorkspaceId } from "@/prisma-free-schema";
import { isPlatformAdmin, platformAdminEnabled } from "@/server/auth/platform-admin";
import { AppError, HTTP_STATUS_FOR } from "@/server/errors";
import { setWorkspacePlan } from "@/server/services/workspaces/set-workspace-plan";
import { getStore } from "@/server/store/store";
import { configuredBodyLimit, withBodyLimit } from "@/server/web/body-limit";

export const dynamic = "force-dynamic";

const ZBody = z.object({ plan: ZPlanName });

/** PUT {"plan": "team" | "enterprise"}: the platform operator's (or billing system's) call. */
export const PUT = withBodyLimit(setPlan, configuredBodyLimit);

async function setPlan(req: Request, context: { params: Promise<{ workspaceId: string }> }): Promise<Response> {
  if (!platformAdminEnabled()) return Response.json({ error: "Not found" }, { status: 404 });
  if (!isPlatformAdmin(req)) return Response.json({ error: "Unauthorized" }, { status: 401 });
  const workspaceId = ZWorkspaceId.safeParse((await context.params).workspaceId);
  const body = ZBody.safeParse(await req.json().catch(() => undefined));
  if (!workspaceId.success) return Response.json({ error: "Not a workspace id" }, { status: 400 });
  if (!body.success) return Response.json({ error: "Body must be {\"plan\": \"team\" | \"enterprise\"}", fieldErrors: z.flattenError(body.error).fieldErrors }, { status: 400 });
  try {
    const workspace = await setWorkspacePlan({ store: await getStore(), workspaceId: workspaceId.data, plan: body.data.plan });
    return Response.json({ id: workspace.id, plan: workspace.plan });
  } catch (error) {
    if (error instanceof AppError) return Response.json({ error: error.message }, { status: HTTP_STATUS_FOR[error.code] });
    throw error;
  }
}
