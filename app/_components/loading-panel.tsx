export function LoadingPanel({ label }: { label: string }) {
  return (
    <div role="status" className="flex items-center gap-3 px-4 py-8 text-sm text-slate-500">
      <span aria-hidden="true" className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600" />
      {label}
    </div>
  );
}
