"use client";

import { useState } from "react";
import type { THostView } from "@/prisma-free-schema";
import { Alert } from "@/app/_components/alert";
import { ui } from "@/app/_lib/ui";
import { EditHostForm } from "./edit-host-form";

interface EditHostSectionProps {
  host: THostView;
  onReload: () => void;
  reloading: boolean;
}

export function EditHostSection({ host, onReload, reloading }: EditHostSectionProps) {
  // Remembered by version: the note goes once the host changes again (someone else's save, a reload).
  const [savedEtag, setSavedEtag] = useState<string>();

  return (
    <section aria-labelledby="edit-host-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="edit-host-heading" className="text-base font-semibold text-slate-900">
        Edit host
      </h2>
      <p className="mt-1 text-sm text-slate-600">Change what this host serves. Its name and kind are fixed once registered.</p>
      <div className="mt-5">
        {/* Keyed by version, so a reload after a conflict starts the form from the saved host. */}
        <EditHostForm key={host.revision} host={host} onSaved={setSavedEtag} onReload={onReload} reloading={reloading} />
      </div>
      {savedEtag === host.revision ? (
        <div className="mt-4">
          <Alert tone="success">Changes saved.</Alert>
        </div>
      ) : null}
    </section>
  );
}
