import type { THost } from "@/prisma-free-schema";
import { serveRunEventStream } from "../../http/serve-run-event-stream";
import { mintInstallKey } from "../../services/keys/install-key";
import { answerKeyExchange } from "../../http/answer-key-exchange";
import { hostStore } from "../../store/host-store";
import { registerHost } from "../../testing/hosts-fixtures";
import { memberStore } from "../../store/member-store";
import { openStore, type Store } from "../../store/store";
import type { Env } from "../../env";
import { workspaceStore } from "../../store/workspace-store";
import { serveFetch } from "../../testing/fetch-server";
import { callerAs, openTestStore, signedInPerson, workspaceWithOwner } from "../../testing/test-store";
import type { EmbeddedThread } from "../../threads/embedded-thread";
import { type Channel, closeChannel, EVENT_HANDLER_PATH, startChannel } from "../channel";
import type { PeerOptions } from "../platform-peers";
import { handleChannelEvent } from "../channel-events";

const TOKEN_PATH = "/api/operators/token";
const RUN_EVENTS_PATH = /^\/api\/runs\/([^/]+)\/events$/;

/**
 * The platform's channel side as it runs in production — the embedded hub, `PlatformChannel`,
 * the event handler, the key-exchange endpoint and the run event stream — on loopback ports,
 * without Next.js: a plain HTTP server hands those routes to the same functions the route
 * handlers call. (The stream authenticates as the route does: with an API token.)
 */
export async function startPlatformHarness(
  options: { hubPort?: number; dataDir?: string; port?: number; ownerEmail?: string; embeddedThread?: EmbeddedThread; captureHubEvents?: boolean; shared?: SharedServices } = {},
) {
  // Tests run the stand-ins on the test's thread (quick to start); benchmarks ask for threads of their own.
  const embeddedThread = options.embeddedThread ?? "caller";
  const { shared } = options;
  // Shared: the store and hub are processes of their own (npm run store / hub), reached as Azure's would be.
  const store = shared
    ? Object.assign(await openStore({ store: { mode: "azure", ...shared.store }, dataDir: options.dataDir ?? "" }), { dataDir: options.dataDir ?? "", destroy: () => Promise.resolve() })
    : await openTestStore(options.dataDir, { embeddedThread });
  const channelSettings: Env["channel"] = shared ? { mode: "azure", connectionString: shared.connectionString } : { mode: "embedded", port: options.hubPort ?? 0 };
  let channel: Channel | undefined;
  async function serve(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const runStream = RUN_EVENTS_PATH.exec(path);
    if (captureHubEvents && path === EVENT_HANDLER_PATH && request.method === "POST") await capture(request);
    return path === EVENT_HANDLER_PATH
      ? handleChannelEvent(request, channel!, store)
      : path === TOKEN_PATH
        ? answerKeyExchange(request, async () => ({ store, channel: channel! }))
        : runStream
          ? serveRunEventStream(request, decodeURIComponent(runStream[1]!), { store })
          : new Response("not found", { status: 404 });
  }
  /** Every event the hub posted, as it arrived (headers and body), so a test can replay one as an attacker would; kept unless a benchmark asks not to. */
  const captureHubEvents = options.captureHubEvents ?? true;
  const hubEvents: CapturedHubEvent[] = [];
  async function capture(request: Request) {
    const body = Buffer.from(await request.clone().arrayBuffer());
    hubEvents.push({ headers: Object.fromEntries(request.headers), body });
  }
  const server = await serveFetch(serve, options.port ?? 0);
  const platformUrl = server.url;
  // Opened as this process's channel, so routers that reach for it (bundle downloads disconnecting an operator) find it.
  channel = await startChannel(channelSettings, { eventHandlerUrl: `${platformUrl}${EVENT_HANDLER_PATH}`, embeddedThread, peers: shared?.peers });

  // A platform started again on the same data keeps its owner (a restart, not a new platform).
  const ownerEmail = options.ownerEmail ?? `owner-${Date.now()}@example.com`;
  const owner = (await existingOwner(store, ownerEmail)) ?? (await workspaceWithOwner(store, ownerEmail));
  await owner.ownerCaller.workspaces.setByoChannel({ workspaceId: owner.workspace.id, enabled: true });

  return {
    store,
    platformUrl,
    get channel() {
      return channel!;
    },
    workspaceId: owner.workspace.id,
    owner,
    hubEvents,
    /** Posts an event to the platform's handler exactly as given (a replayed or doctored capture). */
    postHubEvent(event: CapturedHubEvent): Promise<Response> {
      // Hop-by-hop and length headers are fetch's to set for the body actually sent.
      const { "content-length": _length, host: _host, connection: _connection, "transfer-encoding": _encoding, ...headers } = event.headers;
      return fetch(`${platformUrl}${EVENT_HANDLER_PATH}`, { method: "POST", headers, body: new Uint8Array(event.body) });
    },
    /** Registers a host (Local Docker unless told) and gives it an install key, as a bundle download would. */
    async hostWithKey(name: string, options: { kind?: THost["kind"]; workloadIdentity?: boolean } = {}): Promise<{ host: THost; key: string }> {
      const kind = options.kind ?? "docker";
      const registered = await registerHost(owner.ownerCaller, owner.workspace.id, { name, kind, workloadIdentity: kind === "kubernetes" && options.workloadIdentity === true });
      const minted = mintInstallKey();
      const hosts = hostStore(store);
      const { etag, ...host } = (await hosts.get(owner.workspace.id, registered.id))!;
      const saved = await hosts.replace({ ...host, installKeyHash: minted.hash, installKeyFingerprint: minted.fingerprint }, etag);
      const { etag: _etag, ...withKey } = saved;
      return { host: withKey, key: minted.key };
    },
    async host(hostId: string) {
      return hostStore(store).get(owner.workspace.id, hostId);
    },
    /** Stops the hub (every connection ends) and starts a new one on the same port, as a platform restart would. */
    async restartHub() {
      const port = Number(new URL(channel!.platform.service.endpoint).port);
      await closeChannel();
      channel = await startChannel({ mode: "embedded", port }, { eventHandlerUrl: `${platformUrl}${EVENT_HANDLER_PATH}`, embeddedThread });
    },
    async stop() {
      await closeChannel();
      await server.close();
      if (shared) await store.close();
      else await store.destroy();
    },
  };
}
export type PlatformHarness = Awaited<ReturnType<typeof startPlatformHarness>>;

/** A store and a hub that several platform processes share (the settings `npm run store` and `npm run hub` print). */
export interface SharedServices {
  store: { endpoint: string; key: string; database: string };
  connectionString: string;
  peers?: PeerOptions;
}

/** The person `email` and their first workspace, when this store already has them. */
async function existingOwner(store: Store, email: string) {
  // Signing in again is the same person.
  const owner = await signedInPerson(store, email);
  const [membership] = await memberStore(store).listForUser(owner.userId);
  const found = membership && (await workspaceStore(store).get(membership.workspaceId));
  if (!found) return undefined;
  const { etag: _etag, ...workspace } = found;
  return { owner, workspace, ownerCaller: callerAs(store, owner) };
}
export interface CapturedHubEvent {
  headers: Record<string, string>;
  body: Buffer;
}
