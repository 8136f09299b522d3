/** In place of an option the chosen host cannot take: its name, and why, so nothing is offered only to be refused on save. */
export function UnavailableOption({ title, why }: { title: string; why: string }) {
  return (
    <p role="note" aria-label={`${title} not available`} className="rounded-md border border-dashed border-slate-300 bg-slate-50 px-3 py-2.5 text-sm text-slate-600">
      <span className="font-medium text-slate-800">{title}: not available here.</span> {why}
    </p>
  );
}
