"use client";

import { useEffect, useRef } from "react";
import { CopyButton } from "@/app/_components/copy-button";
import { ui } from "@/app/_lib/ui";

/** The invite link, shown once: only its digest is kept. */
export function InviteLinkPanel({ email, link, expiresAt, onDone }: { email: string; link: string; expiresAt: string; onDone: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="rounded-lg border-2 border-brand-500 bg-brand-50 p-4 sm:p-5">
      <h3 ref={headingRef} tabIndex={-1} className="text-base font-semibold text-slate-900 focus:outline-none">
        Invite link for {email}
      </h3>
      <p className="mt-1 text-sm font-medium text-brand-700">Copy it now and send it to them. You won't be able to see it again.</p>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-stretch">
        <code data-testid="invite-link" className="block min-w-0 flex-1 select-all break-all rounded-md border border-brand-100 bg-white px-3 py-2 font-mono text-sm text-slate-900">
          {link}
        </code>
        <CopyButton value={link} />
      </div>
      <p className="mt-3 text-xs text-slate-600">It works once and expires {new Date(expiresAt).toUTCString()}. Anyone holding it can use it, so send it privately.</p>
      <div className="mt-4">
        <button type="button" onClick={onDone} className={ui.primaryButton}>
          Done
        </button>
      </div>
    </div>
  );
}
