import Link from "next/link";
import { ui } from "@/app/_lib/ui";

export function ProfileMissing() {
  return (
    <div className={`${ui.card} px-5 py-10 text-center sm:px-6`}>
      <h1 className="text-lg font-semibold text-slate-900">Profile not found</h1>
      <p className="mt-2 text-sm text-slate-600">This profile does not exist or was deleted.</p>
      <p className="mt-4 text-sm">
        <Link href="/profiles" className={ui.link}>
          Back to profiles
        </Link>
      </p>
    </div>
  );
}
