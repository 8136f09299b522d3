"use client";

import { ui } from "@/app/_lib/ui";
import { useEffect, useRef, useState } from "react";
import type { TMemberView } from "@/prisma-free-schema";
import { button } from "@/app/_lib/ui";
import { ScopeList } from "../../../_components/scope-list";
import { EditScopesForm } from "./edit-scopes-form";
import { RemoveMemberButton } from "./remove-member-button";

const cell = "block px-5 py-1 sm:px-6 lg:table-cell lg:px-4 lg:py-3 lg:align-top";
const { mobileLabel } = ui;

interface MemberRowProps {
  member: TMemberView;
  onReload: () => void;
  reloading: boolean;
}

export function MemberRow({ member, onReload, reloading }: MemberRowProps) {
  const [editing, setEditing] = useState(false);
  const isOwner = member.role === "owner";
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  // Closing the editor (saved or cancelled) hands focus back to the button that opened it.
  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  return (
    <>
      <tr className="block py-3 lg:table-row lg:py-0">
        <td className={`${cell} font-medium text-slate-900`}>
          {member.userId === null ? (
            // Added by email before invite links; memberships are never matched by email now.
            <span
              title="Added by email before invite links existed. Remove, then invite them with a link."
              className="inline-flex rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-inset ring-amber-200"
            >
              Never joined: invite again
            </span>
          ) : (
            (member.name ?? member.email)
          )}
        </td>
        <td className={`${cell} break-all text-slate-700 lg:break-normal`}>{member.email}</td>
        <td className={cell}>
          <span className={mobileLabel}>Role</span>
          {isOwner ? (
            <span className="inline-flex rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700 ring-1 ring-inset ring-brand-100">
              Owner
            </span>
          ) : (
            <span className="text-slate-700">Member</span>
          )}
        </td>
        <td className={`${cell} lg:max-w-xs`}>
          <ScopeList scopes={member.scopes} />
        </td>
        <td className={`${cell} pt-2 lg:text-right`}>
          {isOwner ? (
            <span className="text-xs text-slate-500">Holds every scope</span>
          ) : (
            <div className="flex flex-wrap items-start gap-2 lg:justify-end">
              {editing ? null : (
                <button ref={editButton} type="button" onClick={() => setEditing(true)} aria-expanded={false} className={button("secondary", "sm")}>
                  Edit scopes
                </button>
              )}
              <RemoveMemberButton memberId={member.id} email={member.email} />
            </div>
          )}
        </td>
      </tr>
      {editing && !isOwner ? (
        <tr className="block bg-slate-50 lg:table-row">
          <td colSpan={5} className="block px-5 py-4 sm:px-6 lg:table-cell lg:px-4">
            <EditScopesForm key={member.etag} member={member} onClose={() => setEditing(false)} onReload={onReload} reloading={reloading} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
