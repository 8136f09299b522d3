import Link from "next/link";

/** The logo and product name; links home when `href` is given. */
export function Brand({ href, size = "md" }: { href?: string; size?: "md" | "lg" }) {
  const icon = size === "lg" ? "h-12 w-12" : "h-8 w-8";
  const text = size === "lg" ? "text-2xl" : "text-base";
  const content = (
    <>
      {/* A 300-byte SVG needs no image optimisation, so a plain img. */}
      <img src="/logo.svg" alt="" className={`${icon} shrink-0`} />
      <span className={`${text} whitespace-nowrap font-semibold tracking-tight text-slate-900`}>Disco Parrot</span>
    </>
  );
  if (!href) return <div className="flex items-center gap-2.5">{content}</div>;
  return (
    <Link href={href} className="flex shrink-0 items-center gap-2.5 rounded-md focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
      {content}
    </Link>
  );
}
