import NextAuth from "next-auth";
import { getAuthOptions } from "@/server/auth/next-auth-options";
import { configuredBodyLimit, withBodyLimit } from "@/server/web/body-limit";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per request from the validated settings (not at import, which the build runs).
async function handler(req: Request, context: RouteContext) {
  return NextAuth(req as never, context as never, getAuthOptions()) as Promise<Response>;
}

const capped = withBodyLimit(handler, configuredBodyLimit);
export { capped as GET, capped as POST };
