export const dynamic = "force-dynamic";

/** Liveness: the process is up and serving. Deliberately checks nothing else. */
export function GET(): Response {
  return Response.json({ status: "live" }, { headers: { "cache-control": "no-store" } });
}
