"use client";

import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from "react";

/**
 * Short confirmations after an action ("Host renamed", "Token revoked"), announced politely to
 * screen readers and gone after a few seconds.
 *
 * Our own rather than a library's: the maintained toast libraries (sonner, react-hot-toast)
 * insert their stylesheet as a runtime <style> element without a nonce, which the platform's
 * Content-Security-Policy (server/web/security-headers.ts) refuses. This one is Tailwind
 * classes only, so it needs nothing the policy forbids.
 */
export type ToastTone = "success" | "error" | "info";

interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
}

type ShowToast = (message: string, tone?: ToastTone) => void;

const ToastContext = createContext<ShowToast | null>(null);

const SHOWN_MS = 5_000;
const MAX_SHOWN = 3;

const TONES: Record<ToastTone, string> = {
  success: "border-brand-200 bg-white text-slate-900 [&>span:first-child]:bg-brand-500",
  error: "border-red-200 bg-white text-slate-900 [&>span:first-child]:bg-red-500",
  info: "border-sky-200 bg-white text-slate-900 [&>span:first-child]:bg-sky-500",
};

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<readonly Toast[]>([]);
  const nextId = useRef(1);

  const show = useCallback<ShowToast>((message, tone = "success") => {
    const id = nextId.current++;
    setToasts((shown) => [...shown, { id, tone, message }].slice(-MAX_SHOWN));
  }, []);
  const dismiss = useCallback((id: number) => setToasts((shown) => shown.filter((toast) => toast.id !== id)), []);

  return (
    <ToastContext.Provider value={show}>
      {children}
      {/* Always in the page, so screen readers know the region before anything is announced. */}
      <div role="status" aria-live="polite" aria-label="Notifications" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4 sm:items-end sm:pr-6">
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDismiss(toast.id), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [toast.id, onDismiss]);
  return (
    <div className={`pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-md border px-4 py-3 text-sm shadow-lg ${TONES[toast.tone]}`}>
      <span aria-hidden="true" className="mt-1.5 size-2 shrink-0 rounded-full" />
      <p className="flex-1 break-words">{toast.message}</p>
      <button type="button" onClick={() => onDismiss(toast.id)} className="rounded-sm text-slate-500 hover:text-slate-800 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
        <span className="sr-only">Dismiss</span>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

/** `toast("Host renamed")` after an action succeeds; `toast(message, "error")` when it did not. */
export function useToast(): ShowToast {
  const show = useContext(ToastContext);
  if (!show) throw new Error("useToast needs a ToastProvider above it (app/layout.tsx)");
  return show;
}
