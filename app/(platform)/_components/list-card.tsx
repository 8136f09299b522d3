import type { ReactNode } from "react";
import { ui } from "@/app/_lib/ui";

interface ListCardProps {
  /** The heading's id, which also names the section. */
  headingId: string;
  title: string;
  /** The line under the heading; left out when null or undefined. */
  description?: ReactNode;
  children: ReactNode;
}

/** A card holding one list: a headed, bordered top, then the list (or its loading, error or empty state). */
export function ListCard({ headingId, title, description, children }: ListCardProps) {
  return (
    <section aria-labelledby={headingId} className={ui.card}>
      <div className="border-b border-slate-200 px-5 py-4 sm:px-6">
        <h2 id={headingId} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        {description == null ? null : <p className="mt-0.5 text-sm text-slate-600">{description}</p>}
      </div>
      {children}
    </section>
  );
}
