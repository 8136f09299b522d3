import pc from "picocolors";

/** Where a command writes: swapped for buffers in tests, process streams otherwise. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Colours on: picocolors' own test (a terminal, NO_COLOR, FORCE_COLOR). */
  colour: boolean;
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  colour: pc.isColorSupported,
};

/** For scripts: the procedure's output, as JSON, nothing else on stdout. */
export function printJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** For people: a header and aligned columns, no borders; an empty list says so. */
export function printTable(io: Io, headers: string[], rows: (string | number | null | undefined)[][], empty = "Nothing to show."): void {
  if (rows.length === 0) return io.out(`${empty}\n`);
  const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined || cell === "" ? "-" : String(cell))));
  const widths = headers.map((header, column) => Math.max(header.length, ...cells.map((row) => row[column]?.length ?? 0)));
  const line = (row: string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ").trimEnd();
  io.out(`${line(headers.map((header) => header.toUpperCase()))}\n`);
  for (const row of cells) io.out(`${line(row)}\n`);
}

/** Label: value lines, aligned, for one item. */
export function printFields(io: Io, fields: [string, string | number | boolean | null | undefined][]): void {
  const width = Math.max(...fields.map(([label]) => label.length));
  for (const [label, value] of fields) io.out(`${`${label}:`.padEnd(width + 1)}  ${value === null || value === undefined || value === "" ? "-" : String(value)}\n`);
}

export function colours(io: Io) {
  const c = pc.createColors(io.colour);
  return { dim: c.dim, red: c.red, green: c.green, yellow: c.yellow, bold: c.bold, cyan: c.cyan };
}

/** UTC, minute precision: enough to tell items apart in a table, the same on every machine. */
export function when(timestamp: string | null | undefined): string {
  if (!timestamp) return "-";
  return new Date(timestamp).toISOString().slice(0, 16).replace("T", " ");
}
