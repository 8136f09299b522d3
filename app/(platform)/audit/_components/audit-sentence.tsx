import Link from "next/link";
import { ui } from "@/app/_lib/ui";
import type { AuditPart } from "./describe-audit-event";

/** A described event: words, with each name that has a page linked to it. */
export function AuditSentence({ parts }: { parts: AuditPart[] }) {
  return (
    <p className="break-words text-slate-800">
      {parts.map((part, index) =>
        typeof part === "string" ? (
          <span key={index}>{part}</span>
        ) : part.href ? (
          <Link key={index} href={part.href} className={`${ui.link} font-medium`}>
            {part.text}
          </Link>
        ) : (
          <span key={index} className="font-medium">
            {part.text}
          </span>
        ),
      )}
    </p>
  );
}
