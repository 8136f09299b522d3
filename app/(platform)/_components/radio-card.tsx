"use client";

import type { ReactNode } from "react";

interface RadioCardProps {
  id: string;
  name: string;
  value: string;
  checked: boolean;
  onChange: () => void;
  label: ReactNode;
  description: ReactNode;
  /** The card's padding, e.g. "p-4". */
  className: string;
  /** Extra classes for the radio button itself. */
  inputClassName?: string;
}

/** One option of a radio group drawn as a card: the radio, a bold label and a sentence under it. */
export function RadioCard({ id, name, value, checked, onChange, label, description, className, inputClassName }: RadioCardProps) {
  return (
    <div
      className={`relative flex gap-3 rounded-lg border ${className} transition-colors has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500 ${
        checked ? "border-brand-500 bg-brand-50/60 ring-1 ring-brand-500" : "border-slate-200 bg-white hover:border-slate-300"
      }`}
    >
      <input
        id={id}
        type="radio"
        name={name}
        value={value}
        checked={checked}
        onChange={onChange}
        aria-describedby={`${id}-description`}
        className={`relative z-10 mt-0.5 h-4 w-4 shrink-0 accent-brand-600 focus-visible:outline-none${inputClassName ? ` ${inputClassName}` : ""}`}
      />
      <div className="min-w-0">
        {/* The label stretches over the card, so a click anywhere on it picks the option. */}
        <label htmlFor={id} className="block text-sm font-semibold text-slate-900 after:absolute after:inset-0 after:content-['']">
          {label}
        </label>
        <p id={`${id}-description`} className="mt-0.5 text-sm text-slate-600">
          {description}
        </p>
      </div>
    </div>
  );
}
