"use client";

import { createContext, type ReactNode, useContext } from "react";

/** The signed-in person, as the platform layout knows them: pages compare it with a record's creator. */
export interface Viewer {
  userId: string;
  email: string;
  name: string;
}

const ViewerContext = createContext<Viewer | undefined>(undefined);

export function ViewerProvider({ value, children }: { value: Viewer; children: ReactNode }) {
  return <ViewerContext.Provider value={value}>{children}</ViewerContext.Provider>;
}

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error("useViewer() must be used inside the platform layout");
  return viewer;
}
