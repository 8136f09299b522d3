import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPlatformHarness } from "../server/channel/testing/platform-harness";
import { getRunEventBus } from "../server/services/events/run-event-bus";
import { eventually } from "../server/testing/eventually";
import { AS_DEPLOYED, percentile } from "./measure";
import { chattyRuns } from "./chatty-runs";

function threads(pid: number | "self") {
  const out = new Map<string, { comm: string; ticks: number }>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(`${pid}/${tid}`, { comm, ticks: Number(f[11]) + Number(f[12]) });
    } catch {}
  }
  return out;
}
function allProcs() {
  const out = new Map<string, { comm: string; ticks: number }>();
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try { for (const [k, v] of threads(Number(pid))) out.set(k, v); } catch {}
  }
  return out;
}
export async function run() {
  const platform = await startPlatformHarness(AS_DEPLOYED);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dp-diag-"));
  const load = await chattyRuns(platform, root, { runs: 10, total: 200_000, perSecond: 20_000, priority: "background" });
  const probe = await chattyRuns(platform, root, { runs: 1, total: 500, perSecond: 50, priority: "low" });
  const lat: number[] = [];
  let stored = 0;
  const bus = getRunEventBus();
  for (const id of load.runIds) bus.subscribe(id, () => void (stored += 1));
  bus.subscribe(probe.runIds[0]!, (e) => { if (e.kind === "agent") lat.push(Date.now() - Date.parse(e.at)); });
  const loadSizes: number[] = []; const arrive: number[] = [], store: number[] = [], sizes: number[] = [];
  (globalThis as any).__diag = (events: any[], t0: number, t1: number) => { if (events[0].runId !== probe.runIds[0]) { loadSizes.push(events.length); return; } for (const e of events) arrive.push(t0 - Date.parse(e.at)); store.push(t1 - t0); sizes.push(events.length); };
  const { monitorEventLoopDelay } = await import("node:perf_hooks"); const h = monitorEventLoopDelay({ resolution: 5 }); h.enable();
  setInterval(() => { console.log("MAIN loop delay p50", h.percentile(50)/1e6, "p99", h.percentile(99)/1e6, "max", h.max/1e6); h.reset(); }, 1000).unref();
  await load.start();
  await eventually(async () => stored, (n) => n > 5000, 30_000);
  const before = allProcs();
  const t0 = Date.now();
  const s0 = stored;
  const { Session } = await import("node:inspector/promises"); const session = new Session(); session.connect();
  if (process.env.PROF) { await session.post("Profiler.enable"); await session.post("Profiler.start"); }
  await probe.start();
  await eventually(async () => lat.length, (n) => n >= 500, 60_000);
  const secs = (Date.now() - t0) / 1000;
  const after = allProcs();
  if (process.env.PROF) { const { profile } = await session.post("Profiler.stop"); fs.writeFileSync(process.env.PROF, JSON.stringify(profile)); }
  const rows: [string, string, number][] = [];
  for (const [k, v] of after) { const b = before.get(k); const d = v.ticks - (b?.ticks ?? 0); if (d > 5) rows.push([k, v.comm, d]); }
  rows.sort((a, b) => b[2] - a[2]);
  const hz = 100;
  console.log(`secs ${secs.toFixed(1)} stored/s ${((stored - s0) / secs).toFixed(0)}`);
  for (const [k, c, d] of rows.slice(0, 25)) console.log(k, c, (d / hz / secs).toFixed(2), "cores");
  lat.sort((a, b) => a - b);
  console.log("emit->stored p50", percentile(lat, 50), "p99", percentile(lat, 99), "self", process.pid);
  for (const [n, a] of [["arrive", arrive], ["store", store], ["sizes", sizes], ["loadSizes", loadSizes]] as const) { a.sort((x, y) => x - y); console.log(n, "p50", percentile(a, 50), "p90", percentile(a, 90), "p99", percentile(a, 99), "n", a.length); }
  load.stop(); probe.stop();
  await platform.stop();
}
