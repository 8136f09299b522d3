import { formatDateTime, formatRelative } from "@/app/_lib/format";

/** When the operator last checked in: "Never" until it has, then "5 minutes ago" with the exact time on hover. */
export function LastSeen({ at }: { at: string | null }) {
  if (!at) return <span className="text-slate-500">Never</span>;
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      {formatRelative(at)}
    </time>
  );
}
