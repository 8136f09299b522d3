import Link from "next/link";
import { Brand } from "@/app/_components/brand";
import { ui } from "@/app/_lib/ui";

/**
 * Any unknown address. Ours rather than Next.js's built-in page, which styles itself with inline
 * style attributes that the pages' Content-Security-Policy (proxy.ts) does not allow.
 */
export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen w-full max-w-md flex-col items-center justify-center gap-6 px-4 py-12 text-center">
      <Brand />
      <div className={`${ui.card} w-full p-6`}>
        <h1 className="text-lg font-semibold text-slate-900">Page not found</h1>
        <p className="mt-2 text-sm text-slate-600">There is nothing at this address.</p>
        <Link href="/hosts" className={`${ui.primaryButton} mt-5 inline-block`}>
          Go to hosts
        </Link>
      </div>
    </main>
  );
}
