import { useEffect, useState } from "react";
import { useRequestId } from "./request-id-context";

/**
 * The request id to quote for a crash. A crash on the server has its own (the page's request,
 * logged with the digest). A crash in the browser left nothing in the server's log, and the id
 * the page loaded with may be hours old: so it is reported (its kind and page only), and the
 * report's id is the one to quote. Null while reporting; the page's id if the report fails.
 */
export function useCrashRequestId(error: Error & { digest?: string }): string | null {
  const pageRequestId = useRequestId();
  const inBrowser = !error.digest;
  const [reported, setReported] = useState<{ error: Error; id: string | null } | undefined>(undefined);

  useEffect(() => {
    if (!inBrowser) return;
    let current = true;
    const report = { path: window.location.pathname, errorName: /^[A-Za-z_$][\w$]{0,59}$/.test(error.name) ? error.name : "Error" };
    fetch("/api/client-crashes", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(report) })
      .then(async (response) => (response.ok ? ((await response.json()) as { requestId: string }).requestId : pageRequestId))
      .catch(() => pageRequestId)
      .then((id) => {
        if (current) setReported({ error, id });
      });
    return () => {
      current = false;
    };
  }, [inBrowser, error, pageRequestId]);

  if (!inBrowser) return pageRequestId;
  return reported?.error === error ? reported.id : null;
}
