import Link from "next/link";
import { ui } from "@/app/_lib/ui";

export function HostMissing() {
  return (
    <div className={`${ui.card} px-5 py-10 text-center sm:px-6`}>
      <h1 className="text-lg font-semibold text-slate-900">Host not found</h1>
      <p className="mt-2 text-sm text-slate-600">This host does not exist or was deleted.</p>
      <p className="mt-4 text-sm">
        <Link href="/hosts" className={ui.link}>
          Back to hosts
        </Link>
      </p>
    </div>
  );
}
