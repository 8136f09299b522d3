"use client";

import { createContext, type ReactNode, useContext } from "react";
import type { TMyWorkspace } from "@/prisma-free-schema";

const WorkspaceContext = createContext<TMyWorkspace | undefined>(undefined);

/** The workspace the platform layout picked for this request (cookie `dp_workspace`, else the first). */
export function WorkspaceProvider({ value, children }: { value: TMyWorkspace; children: ReactNode }) {
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): TMyWorkspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error("useWorkspace() must be used inside the platform layout");
  return workspace;
}
