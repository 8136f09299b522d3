import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";

/**
 * What several platform processes share in the tests that run more than one: the store and the
 * hub as the processes `npm run store` and `npm run hub` start (their printed settings read back),
 * and a front door, the load balancer a deployment puts before its processes.
 */
const ROOT = path.resolve(__dirname, "../..");

/** A port free on loopback now (a process about to be started takes it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `program` (under server/programs/) and resolves with the settings it prints as NAME=value lines. */
async function startProgram(program: string, args: string[], names: string[]): Promise<{ child: ChildProcess; settings: Record<string, string> }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/programs", program), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, LOG_LEVEL: "warn" } });
  const settings = await new Promise<Record<string, string>>((resolve, reject) => {
    const found: Record<string, string> = {};
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split("\n")) {
        const match = /^([A-Z_]+)=(.*)$/.exec(line);
        if (match && names.includes(match[1]!)) found[match[1]!] = match[2]!;
      }
      if (names.every((name) => name in found)) resolve(found);
    });
    child.once("exit", (code) => reject(new Error(`${program} exited (${code}) before printing its settings: ${out}`)));
  });
  return { child, settings };
}

export async function startStandaloneStore(dataDir: string) {
  const { child, settings } = await startProgram("standalone-store.ts", ["--port", "0", "--data-dir", dataDir], ["COSMOS_ENDPOINT", "COSMOS_KEY"]);
  return { child, endpoint: settings.COSMOS_ENDPOINT!, key: settings.COSMOS_KEY!, stop: () => stopChild(child) };
}

export async function startStandaloneHub(eventHandlerUrl: string) {
  const { child, settings } = await startProgram("standalone-hub.ts", ["--port", "0", "--event-handler", eventHandlerUrl], ["WEBPUBSUB_CONNECTION_STRING"]);
  return { child, connectionString: settings.WEBPUBSUB_CONNECTION_STRING!, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/**
 * A load balancer on loopback, per request as an HTTP one is: each request goes to the next
 * backend in turn, skipping one that refuses (a process killed); `route` says which backends
 * take requests from now on (a deployment moving traffic before it sends SIGTERM). A response
 * is streamed as it comes (a run's event stream), and cut when its backend goes. Counts requests
 * per backend, so a test can say who served what.
 */
export async function startFrontDoor() {
  let backends: number[] = [];
  let next = 0;
  const served = new Map<number, number>();
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const tried = new Set<number>();
    const forward = () => {
      const candidates = backends.filter((port) => !tried.has(port));
      if (candidates.length === 0) {
        res.writeHead(502).end("no backend answered");
        return;
      }
      const port = candidates[next++ % candidates.length]!;
      tried.add(port);
      const upstream = http.request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
        served.set(port, (served.get(port) ?? 0) + 1);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.once("error", () => res.destroy());
        answer.once("aborted", () => res.destroy());
      });
      upstream.once("error", (error: NodeJS.ErrnoException) => {
        // Refused before anything was sent back: the next backend; anything else: the client sees the cut.
        if (error.code === "ECONNREFUSED" && !res.headersSent) forward();
        else res.destroy();
      });
      res.once("close", () => upstream.destroy());
      upstream.end(body);
    };
    const chunks: Buffer[] = [];
    let body: Buffer;
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => {
      body = Buffer.concat(chunks);
      forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** The backends requests go to from now on, in turn. */
    route(ports: number[]) {
      backends = [...ports];
    },
    served: (backend: number) => served.get(backend) ?? 0,
    async stop() {
      server.closeAllConnections();
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
export type FrontDoor = Awaited<ReturnType<typeof startFrontDoor>>;
