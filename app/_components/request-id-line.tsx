/** The line a person quotes to support; the same id is on the server's log lines for this request. */
export function RequestIdLine({ requestId, digest }: { requestId: string | null; digest?: string | undefined }) {
  if (!requestId && !digest) return null;
  return (
    <p className="mt-3 text-xs text-slate-500">
      {requestId ? (
        <>
          Request id: <code className="select-all font-mono text-slate-700">{requestId}</code>
        </>
      ) : null}
      {requestId && digest ? " · " : null}
      {digest ? (
        <>
          Reference: <code className="select-all font-mono text-slate-700">{digest}</code>
        </>
      ) : null}
    </p>
  );
}
