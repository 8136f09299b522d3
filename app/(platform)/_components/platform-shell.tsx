"use client";

import { type ReactNode, useState } from "react";
import { Brand } from "@/app/_components/brand";
import { AccountSummary } from "./account-summary";
import { MainNav } from "./main-nav";
import { type WorkspaceOption, WorkspaceSwitcher } from "./workspace-switcher";

interface PlatformShellProps {
  user: { name: string; email: string };
  workspaces: WorkspaceOption[];
  currentWorkspaceId: string;
  children: ReactNode;
}

/** Top bar and navigation; below 768px the account and navigation fold behind "Menu". */
export function PlatformShell({ user, workspaces, currentWorkspaceId, children }: PlatformShellProps) {
  const [menuOpen, setMenuOpen] = useState(false);
  const folded = menuOpen ? "flex" : "hidden";

  return (
    <div className="min-h-screen">
      {/* First in the tab order, shown when focused: a keyboard user need not tab through the nav on every page. */}
      <a
        href="#main"
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-brand-700 shadow focus:not-sr-only focus:fixed focus:left-4 focus:top-3 focus:z-50 focus:outline-none focus:ring-2 focus:ring-brand-500"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-3 px-4 py-3 md:flex-nowrap md:px-6 lg:gap-x-6">
          <Brand href="/hosts" />
          <button
            type="button"
            onClick={() => setMenuOpen((open) => !open)}
            aria-expanded={menuOpen}
            aria-controls="platform-account platform-menu"
            className="ml-auto inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 md:hidden"
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
              {menuOpen ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 6h14M3 10h14M3 14h14" />}
            </svg>
            Menu
          </button>
          <div className="w-full md:w-auto">
            <WorkspaceSwitcher workspaces={workspaces} currentId={currentWorkspaceId} />
          </div>
          <div id="platform-account" className={`${folded} w-full border-t border-slate-100 pt-3 md:ml-auto md:flex md:w-auto md:min-w-0 md:border-0 md:pt-0`}>
            <AccountSummary name={user.name} email={user.email} />
          </div>
        </div>
      </header>

      <div className="mx-auto flex max-w-7xl flex-col md:flex-row">
        <aside
          id="platform-menu"
          className={`${menuOpen ? "block" : "hidden"} border-b border-slate-200 bg-white px-4 py-3 md:block md:w-56 md:shrink-0 md:border-b-0 md:bg-transparent md:px-6 md:py-8`}
        >
          <MainNav onNavigate={() => setMenuOpen(false)} />
        </aside>
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 focus:outline-none md:px-8 md:py-8">{children}</main>
      </div>
    </div>
  );
}
