import Link from "next/link";
import { currentRequestId } from "@/app/_lib/request-id";
import { ui } from "@/app/_lib/ui";
import { log } from "@/server/log";
import { RequestIdLine } from "./request-id-line";

/** "Page not found", the way home, and the request id: inside the platform's shell or on its own. */
export async function NotFoundCard() {
  const requestId = await currentRequestId();
  // The log line the id shown below finds (no address: one may hold a token).
  log.info("page.not_found", { requestId });
  return (
    <div className={`${ui.card} mx-auto w-full max-w-md p-6 text-center`}>
      <h1 className="text-lg font-semibold text-slate-900">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">There is nothing at this address. The link may be mistyped, or what it pointed to was deleted.</p>
      <Link href="/" className={`${ui.primaryButton} mt-5 inline-block`}>
        Go home
      </Link>
      <RequestIdLine requestId={requestId} />
    </div>
  );
}
