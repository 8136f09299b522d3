"use client";

import { createContext, type ReactNode, useContext } from "react";

/**
 * The id of the request that rendered the page (proxy.ts), for the error boundary, which is a
 * client component and cannot read request headers itself.
 */
const RequestIdContext = createContext<string | null>(null);

export function RequestIdProvider({ value, children }: { value: string | null; children: ReactNode }) {
  return <RequestIdContext.Provider value={value}>{children}</RequestIdContext.Provider>;
}

export function useRequestId(): string | null {
  return useContext(RequestIdContext);
}
