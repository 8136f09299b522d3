"use client";

import type { THostView } from "@/prisma-free-schema";
import { useToast } from "@/app/_components/toaster";
import { ui } from "@/app/_lib/ui";
import { EditHostForm } from "./edit-host-form";

interface EditHostSectionProps {
  host: THostView;
  onReload: () => void;
  reloading: boolean;
}

export function EditHostSection({ host, onReload, reloading }: EditHostSectionProps) {
  const toast = useToast();

  return (
    <section aria-labelledby="edit-host-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="edit-host-heading" className="text-base font-semibold text-slate-900">
        What it serves
      </h2>
      <p className="mt-1 text-sm text-slate-600">Change what this host serves. Its kind is fixed once registered.</p>
      <div className="mt-5">
        {/* Keyed by version, so a reload after a conflict starts the form from the saved host. */}
        <EditHostForm key={host.revision} host={host} onSaved={() => toast("Host changes saved")} onReload={onReload} reloading={reloading} />
      </div>
    </section>
  );
}
