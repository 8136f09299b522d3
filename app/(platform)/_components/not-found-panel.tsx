import Link from "next/link";
import { ui } from "@/app/_lib/ui";

interface NotFoundPanelProps {
  title: string;
  message: string;
  backHref: string;
  backLabel: string;
}

/** The page body for something that does not exist (or no longer does), with the way back to its list. */
export function NotFoundPanel({ title, message, backHref, backLabel }: NotFoundPanelProps) {
  return (
    <div className={`${ui.card} px-5 py-10 text-center sm:px-6`}>
      <h1 className="text-lg font-semibold text-slate-900">{title}</h1>
      <p className="mt-2 text-sm text-slate-600">{message}</p>
      <p className="mt-4 text-sm">
        <Link href={backHref} className={ui.link}>
          {backLabel}
        </Link>
      </p>
    </div>
  );
}
