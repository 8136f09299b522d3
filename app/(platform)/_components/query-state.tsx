import type { ReactNode } from "react";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";

interface QueryStateProps {
  query: { isPending: boolean; error: unknown; refetch: () => Promise<unknown> };
  /** True when there is nothing to show because loading failed. */
  failed: boolean;
  loadingLabel: string;
  errorTitle: string;
  /** True when loading worked but found nothing; `empty` is shown instead of the children. */
  isEmpty?: boolean;
  empty?: ReactNode;
  children: ReactNode;
}

/** What a card shows for one query: a spinner while it loads, the error with "Try again", the empty state, or the children. */
export function QueryState({ query, failed, loadingLabel, errorTitle, isEmpty = false, empty, children }: QueryStateProps) {
  if (query.isPending) return <LoadingPanel label={loadingLabel} />;
  if (failed) {
    return (
      <div className="p-4">
        <QueryErrorPanel title={errorTitle} error={query.error} onRetry={() => void query.refetch()} />
      </div>
    );
  }
  return <>{isEmpty ? empty : children}</>;
}

/** The empty state of a list: a short title and a sentence on how the first item comes about. */
export function EmptyListMessage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="px-5 py-10 text-center sm:px-6">
      <p className="text-sm font-medium text-slate-900">{title}</p>
      <p className="mx-auto mt-1 max-w-lg text-sm text-slate-500">{children}</p>
    </div>
  );
}
