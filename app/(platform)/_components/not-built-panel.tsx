export function NotBuiltPanel({ summary, points }: { summary: string; points: readonly string[] }) {
  return (
    <section aria-labelledby="not-built-heading" className="rounded-lg border border-dashed border-slate-300 bg-white p-6 sm:p-8">
      <span className="inline-flex items-center rounded-full bg-amber-50 px-2.5 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-inset ring-amber-200">
        Coming soon
      </span>
      <h2 id="not-built-heading" className="mt-3 text-lg font-semibold text-slate-900">
        Not built yet
      </h2>
      <p className="mt-2 max-w-2xl text-sm text-slate-600">{summary}</p>
      <ul className="mt-4 max-w-2xl list-disc space-y-1.5 pl-5 text-sm text-slate-600">
        {points.map((point) => (
          <li key={point}>{point}</li>
        ))}
      </ul>
    </section>
  );
}
