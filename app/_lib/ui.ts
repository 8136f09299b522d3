/** Shared class lists, so every button, input and card looks the same. */
const buttonBase =
  "inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-medium shadow-sm transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:opacity-60";

export const ui = {
  primaryButton: `${buttonBase} bg-brand-600 text-white hover:bg-brand-700 focus-visible:ring-brand-500`,
  secondaryButton: `${buttonBase} border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 focus-visible:ring-brand-500`,
  dangerButton: `${buttonBase} bg-red-600 text-white hover:bg-red-700 focus-visible:ring-red-500`,
  dangerOutlineButton: `${buttonBase} border border-red-200 bg-white text-red-700 hover:bg-red-50 focus-visible:ring-red-500`,
  input:
    "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 aria-[invalid=true]:border-red-400",
  label: "block text-sm font-medium text-slate-700",
  card: "rounded-lg border border-slate-200 bg-white shadow-sm",
  link: "font-medium text-brand-700 underline-offset-2 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 rounded-sm",
} as const;
