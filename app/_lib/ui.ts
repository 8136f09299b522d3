/** Shared class lists, so every button, input and card looks the same. */
const buttonBase =
  "inline-flex items-center justify-center gap-2 rounded-md font-medium shadow-sm transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:opacity-60";

// Sizes are whole sets, never appended overrides: two padding utilities on one element would
// be settled by stylesheet order, not by which was written last.
const buttonSizes = {
  sm: "px-2.5 py-1 text-xs",
  md: "px-3.5 py-2 text-sm",
  lg: "w-full px-4 py-2.5 text-sm",
} as const;

const buttonKinds = {
  // brand-700 under white text: brand-600 is 3.7:1, under the 4.5:1 WCAG AA asks of body-size text.
  primary: "bg-brand-700 text-white hover:bg-brand-800 focus-visible:ring-brand-500",
  secondary: "border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 focus-visible:ring-brand-500",
  danger: "bg-red-600 text-white hover:bg-red-700 focus-visible:ring-red-500",
  dangerOutline: "border border-red-200 bg-white text-red-700 hover:bg-red-50 focus-visible:ring-red-500",
} as const;

export function button(kind: keyof typeof buttonKinds, size: keyof typeof buttonSizes = "md"): string {
  return `${buttonBase} ${buttonSizes[size]} ${buttonKinds[kind]}`;
}

export const ui = {
  primaryButton: button("primary"),
  secondaryButton: button("secondary"),
  input:
    "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500 aria-[invalid=true]:border-red-400",
  label: "block text-sm font-medium text-slate-700",
  card: "rounded-lg border border-slate-200 bg-white shadow-sm",
  link: "rounded-sm font-medium text-brand-700 underline-offset-2 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500",
} as const;
