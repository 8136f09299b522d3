import type { ReactNode } from "react";

interface TableShellProps {
  /** Read by screen readers only. */
  caption?: string;
  headings: readonly string[];
  /** A last header cell of its own, e.g. a visually hidden "Actions". */
  trailingHeader?: ReactNode;
  /** The rows. */
  children: ReactNode;
}

/** A table that is a table from `lg` up and a stack of cards below it, where the header row hides. */
export function TableShell({ caption, headings, trailingHeader, children }: TableShellProps) {
  return (
    <table className="w-full text-left text-sm">
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 lg:table-header-group">
        <tr>
          {headings.map((heading) => (
            <th key={heading} scope="col" className="whitespace-nowrap px-4 py-2.5">
              {heading}
            </th>
          ))}
          {trailingHeader}
        </tr>
      </thead>
      <tbody className="block divide-y divide-slate-100 lg:table-row-group">{children}</tbody>
    </table>
  );
}
