import Link from "next/link";
import { ui } from "@/app/_lib/ui";

export function BackLink({ href, children }: { href: string; children: string }) {
  return (
    <p className="mb-4 text-sm">
      <Link href={href} className={`${ui.link} inline-flex items-center gap-1`}>
        <span aria-hidden="true">←</span>
        {children}
      </Link>
    </p>
  );
}
