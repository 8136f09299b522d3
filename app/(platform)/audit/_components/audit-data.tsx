import { Fragment } from "react";
import type { TAuditData } from "@/prisma-free-schema";
import { formatAuditData } from "./format-audit-data";

/** Compact `key=value` pairs; long lists may wrap after a comma but never inside a scope name. */
export function AuditData({ data }: { data: TAuditData }) {
  const pairs = formatAuditData(data);
  if (pairs.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <span className="flex flex-wrap gap-x-3 gap-y-1 font-mono text-xs text-slate-600">
      {pairs.map((pair) => (
        <span key={pair} className="break-words">
          {pair.split(",").map((part, index) => (
            <Fragment key={index}>
              {index > 0 ? (
                <>
                  ,<wbr />
                </>
              ) : null}
              {part}
            </Fragment>
          ))}
        </span>
      ))}
    </span>
  );
}
