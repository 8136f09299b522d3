import { z } from "zod";
import { ZEmail } from "@/prisma-free-schema";
import { isPlatformAdmin, platformAdminEnabled } from "@/server/auth/platform-admin";
import { getEnv } from "@/server/env";
import { issuePlatformInvite } from "@/server/services/invites/issue-invite";
import { getStore } from "@/server/store/store";
import { requestOriginOf } from "@/server/trpc/context";
import { configuredBodyLimit, withBodyLimit } from "@/server/web/body-limit";

export const dynamic = "force-dynamic";

const ZBody = z.object({ email: ZEmail.nullable().default(null) });

/**
 * POST {"email"?: "…"}: the platform operator's one-time link for someone to create a local
 * account here (a new team, say). With an email, the link is bound to it, and also sets the
 * password of that email's local account if it was made before passwords (how such accounts get back in).
 */
export const POST = withBodyLimit(issueInvite, configuredBodyLimit);

async function issueInvite(req: Request): Promise<Response> {
  if (!platformAdminEnabled()) return Response.json({ error: "Not found" }, { status: 404 });
  if (!isPlatformAdmin(req)) return Response.json({ error: "Unauthorized" }, { status: 401 });
  const body = ZBody.safeParse(await req.json().catch(() => ({})));
  if (!body.success) return Response.json({ error: "Body must be {} or {\"email\": \"…\"}", fieldErrors: z.flattenError(body.error).fieldErrors }, { status: 400 });
  const invite = await issuePlatformInvite({ store: await getStore(), email: body.data.email, baseUrl: getEnv().publicUrl ?? requestOriginOf(req) });
  return Response.json(invite, { headers: { "cache-control": "no-store" } });
}
