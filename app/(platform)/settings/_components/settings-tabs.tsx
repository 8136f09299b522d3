"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { hasScope } from "@/prisma-free-schema/vocabulary";
import { useWorkspace } from "../../_components/workspace-context";

export function SettingsTabs() {
  const pathname = usePathname();
  const { scopes } = useWorkspace();
  const tabs = [
    { href: "/settings", label: "General" },
    ...(hasScope(scopes, "members.manage") ? [{ href: "/settings/members", label: "Members" }] : []),
    { href: "/settings/tokens", label: "API tokens" },
    { href: "/settings/account", label: "Your account" },
  ];

  return (
    <nav aria-label="Settings" className="border-b border-slate-200">
      <ul className="-mb-px flex gap-1 overflow-x-auto">
        {tabs.map((tab) => {
          const active = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={`block whitespace-nowrap border-b-2 px-3 py-2.5 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500 ${
                  active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
