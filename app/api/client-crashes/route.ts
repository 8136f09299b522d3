import { z } from "zod";
import { ZClientCrashReport } from "@/prisma-free-schema/client-crash";
import { log } from "@/server/log";
import { configuredBodyLimit, withBodyLimit } from "@/server/web/body-limit";
import { requestIdOf } from "@/server/web/request-id";

export const dynamic = "force-dynamic";

/**
 * POST {path, errorName}: a page crashed in the browser. One log line under this request's own
 * id, which the crash page then shows: the id a person quotes finds the crash, not the page load
 * (perhaps hours older) the browser started from. Anyone may report; a report only adds that
 * one line, with nothing of the page's content.
 */
export const POST = withBodyLimit(reportCrash, configuredBodyLimit);

async function reportCrash(req: Request): Promise<Response> {
  const requestId = requestIdOf(req.headers);
  const report = ZClientCrashReport.safeParse(await req.json().catch(() => undefined));
  if (!report.success) {
    return Response.json({ error: "Body must be {\"path\": \"/…\", \"errorName\": \"…\"}", fieldErrors: z.flattenError(report.error).fieldErrors }, { status: 400 });
  }
  log.warn("page.client_error", { requestId, path: report.data.path, errorName: report.data.errorName });
  return Response.json({ requestId }, { headers: { "cache-control": "no-store" } });
}
