"use client";

import type { ReactNode } from "react";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";
import { ui } from "@/app/_lib/ui";
import { QueryState } from "./query-state";

/** The parts of a `useInfiniteQuery` result over pages of `{ items }` that the list reads. */
interface InfiniteListQuery<TItem> {
  isPending: boolean;
  data: { pages: readonly { items: readonly TItem[] }[] } | undefined;
  error: unknown;
  refetch: () => Promise<unknown>;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  fetchNextPage: () => Promise<unknown>;
}

interface InfiniteListProps<TItem> {
  query: InfiniteListQuery<TItem>;
  messages: {
    loading: string;
    /** Title of the error when the first page fails. */
    failed: string;
    /** Title of the error when a later page fails. */
    failedMore: string;
  };
  /** Shown while no page holds an item. */
  empty: ReactNode;
  /** Shown in place of "Load more" once the last page is in; without it the footer goes away. */
  end?: ReactNode;
  /** The items of every page loaded so far, usually as a table; it scrolls sideways when too wide. */
  children: (items: TItem[]) => ReactNode;
}

/** A paged list: loading, error, empty, then the rows with "Load more" and the error of a failed later page. */
export function InfiniteList<TItem>({ query, messages, empty, end, children }: InfiniteListProps<TItem>) {
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const footerClass = ["flex", end === undefined ? null : "items-center", "justify-center border-t border-slate-200 px-4 py-3"]
    .filter(Boolean)
    .join(" ");
  return (
    <QueryState query={query} failed={!query.data} loadingLabel={messages.loading} errorTitle={messages.failed} isEmpty={items.length === 0} empty={empty}>
      <div className="overflow-x-auto">{children(items)}</div>
      {query.hasNextPage || end !== undefined ? (
        <div className={footerClass}>
          {query.hasNextPage ? (
            <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage} className={ui.secondaryButton}>
              {query.isFetchingNextPage ? "Loading more…" : "Load more"}
            </button>
          ) : (
            end
          )}
        </div>
      ) : null}
      {query.isFetchNextPageError ? (
        <div className="px-4 pb-4">
          <QueryErrorPanel title={messages.failedMore} error={query.error} onRetry={() => void query.fetchNextPage()} />
        </div>
      ) : null}
    </QueryState>
  );
}
