import { mkdirSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { apiErrors, KubeApiError } from "./api-errors";
import { parseResourcePath } from "./api-paths";
import { TokenAuthenticator } from "./authentication";
import { discoveryDocument } from "./discovery";
import { ObjectStore, type KubeObject } from "./object-store";
import { createObject } from "./object-writes";
import { decodeProtobufObject } from "./protobuf-bodies";
import type { PodLogSource } from "./pod-logs";
import { serveResourceRequest, type ServerState } from "./resource-requests";
import { generateServerCertificates } from "./tls-certificates";
import { TestObjects } from "./test-objects";
import { WatchStreams } from "./watch-streams";

export interface TestKubeApiServerOptions {
  /** The gitVersion /version reports. Default v1.30.0. */
  version?: string;
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK. Default 5 s (a real server: about a minute). */
  bookmarkIntervalMs?: number;
  /** The tenant the Workload Identity webhook injects when a ServiceAccount names none. */
  workloadIdentityTenantId?: string;
  /** How long a deleted namespace stays Terminating before its contents and itself are removed. Default 500 ms. */
  namespaceDeletionDelayMs?: number;
  /** The service-account issuer `/.well-known/openid-configuration` names (on AKS, the cluster's OIDC issuer URL). */
  oidcIssuer?: string;
}

export interface TestKubeApiServer {
  /** https://127.0.0.1:<port> */
  url: string;
  /** The CA (PEM) that signed the server's certificate. */
  caPem: string;
  /** Authenticates as a cluster admin (group system:masters: every verb, and impersonation). */
  adminToken: string;
  /** Authenticates as system:serviceaccount:<namespace>:<name> while that ServiceAccount exists; RBAC applies. */
  tokenFor(namespace: string, serviceAccount: string): string;
  /** Writes a kubeconfig (server, CA, token; admin unless given) for kubectl and returns its path. */
  writeKubeconfig(path: string, token?: string): string;
  /** Writes `token`, `ca.crt` and `namespace` into dir, as a pod sees /var/run/secrets/kubernetes.io/serviceaccount. */
  writeServiceAccountFiles(dir: string, namespace: string, serviceAccount: string): void;
  /** KUBERNETES_SERVICE_HOST / KUBERNETES_SERVICE_PORT, for KubeConfig.loadFromCluster. */
  inClusterEnv(): Record<string, string>;
  /** Forgets watch history: a watch from an older resourceVersion now gets 410 Expired. */
  compact(): void;
  /** Cuts every open watch stream abruptly. */
  dropWatches(): void;
  /** Where pods/<name>/log reads from (the test kubelet registers this). */
  setPodLogSource(source: PodLogSource): void;
  /** Objects without HTTP, authorization or admission; changes still reach watches. */
  objects: TestObjects;
  close(): Promise<void>;
}

const HEALTH_PATHS = new Set(["/healthz", "/livez", "/readyz"]);

/**
 * A Kubernetes API server for tests, speaking the real wire protocol over TLS so the real kubectl
 * and @kubernetes/client-node run against it unmodified. See README.md for what it covers.
 */
export async function startTestKubeApiServer(options: TestKubeApiServerOptions = {}): Promise<TestKubeApiServer> {
  const gitVersion = options.version ?? "v1.30.0";
  const oidcIssuer = options.oidcIssuer ?? "https://kubernetes.default.svc.cluster.local";
  const certificates = generateServerCertificates();
  const store = new ObjectStore();
  const state: ServerState = {
    store,
    watches: new WatchStreams(store, options.bookmarkIntervalMs ?? 5_000),
    admission: { workloadIdentityTenantId: options.workloadIdentityTenantId ?? "00000000-0000-0000-0000-00000000a2b1" },
    deferNamespaceCleanup: (cleanup) => setTimeout(cleanup, options.namespaceDeletionDelayMs ?? 500).unref(),
  };
  const authenticator = new TokenAuthenticator((namespace, name) => store.get("/serviceaccounts", namespace, name) !== undefined);
  seedCluster(state);

  let serverAddress = "";
  const server = createServer({ key: certificates.keyPem, cert: certificates.certPem }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      const failure = error instanceof KubeApiError ? error : new KubeApiError(500, "InternalError", `Internal error occurred: ${String(error)}`);
      if (response.headersSent) response.destroy();
      else sendJson(response, failure.code, failure.toStatus());
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "https://127.0.0.1");
    const raw = await readBody(request);
    if (HEALTH_PATHS.has(url.pathname)) {
      response.writeHead(200, { "Content-Type": "text/plain" });
      response.end("ok");
      return;
    }
    // /version is public (system:public-info-viewer); everything else needs a known token.
    const user = url.pathname === "/version" && !request.headers.authorization ? undefined : authenticator.authenticate(request.headers);
    // Service account issuer discovery (KEP-1393), as system:service-account-issuer-discovery lets every service account read it.
    if (request.method === "GET" && url.pathname === "/.well-known/openid-configuration" && user) {
      return sendJson(response, 200, {
        issuer: oidcIssuer,
        jwks_uri: `https://${serverAddress}/openid/v1/jwks`,
        response_types_supported: ["id_token"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    const document = request.method === "GET" ? discoveryDocument(url.pathname, { gitVersion, address: serverAddress }) : undefined;
    if (document !== undefined) return sendJson(response, 200, document);
    const target = parseResourcePath(url.pathname);
    if (!target || !user) throw apiErrors.pathNotFound();
    const { contentType, body } = normalizeBody((request.headers["content-type"] ?? "application/json").split(";")[0]!.trim(), raw);
    const result = await serveResourceRequest(state, { method: request.method ?? "GET", target, query: url.searchParams, contentType, body, user }, response);
    if (result === "streaming") return;
    if ("text" in result) {
      response.writeHead(result.status, { "Content-Type": "text/plain" });
      response.end(result.text);
    } else sendJson(response, result.status, result.json);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  serverAddress = `127.0.0.1:${port}`;
  const url = `https://${serverAddress}`;

  return {
    url,
    caPem: certificates.caPem,
    adminToken: authenticator.adminToken,
    tokenFor: (namespace, serviceAccount) => authenticator.tokenFor(namespace, serviceAccount),
    writeKubeconfig(file, token = authenticator.adminToken) {
      const kubeconfig = {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "test-kube-api", cluster: { server: url, "certificate-authority-data": Buffer.from(certificates.caPem).toString("base64") } }],
        users: [{ name: "test-user", user: { token } }],
        contexts: [{ name: "test", context: { cluster: "test-kube-api", user: "test-user" } }],
        "current-context": "test",
      };
      mkdirSync(path.dirname(file), { recursive: true });
      // JSON is YAML; kubectl and client-node read either.
      writeFileSync(file, JSON.stringify(kubeconfig, null, 2), { mode: 0o600 });
      return file;
    },
    writeServiceAccountFiles(dir, namespace, serviceAccount) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "token"), authenticator.tokenFor(namespace, serviceAccount));
      writeFileSync(path.join(dir, "ca.crt"), certificates.caPem);
      writeFileSync(path.join(dir, "namespace"), namespace);
    },
    inClusterEnv: () => ({ KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: String(port) }),
    compact: () => store.compact(),
    dropWatches: () => state.watches.dropAll(),
    setPodLogSource(source) {
      state.podLogSource = source;
    },
    objects: new TestObjects(store),
    async close() {
      state.watches.dropAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What every cluster starts with: its system namespaces (each with its default ServiceAccount) and cluster-admin. */
function seedCluster(state: ServerState): void {
  const context = { store: state.store, admission: state.admission, dryRun: false };
  const type = (resource: string) => parseResourcePath(`/api/v1/${resource}`)!.type;
  for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) createObject(context, type("namespaces"), undefined, { metadata: { name } });
  const clusterAdmin: KubeObject = { metadata: { name: "cluster-admin" }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }, { nonResourceURLs: ["*"], verbs: ["*"] }] };
  createObject(context, parseResourcePath("/apis/rbac.authorization.k8s.io/v1/clusterroles")!.type, undefined, clusterAdmin);
}

/** YAML and protobuf bodies become the JSON they encode; patch bodies stay as they came. */
function normalizeBody(contentType: string, raw: Buffer): { contentType: string; body: string } {
  if (contentType === "application/vnd.kubernetes.protobuf") return { contentType: "application/json", body: JSON.stringify(decodeProtobufObject(raw)) };
  if (contentType === "application/yaml") {
    try {
      return { contentType: "application/json", body: JSON.stringify(parseYaml(raw.toString("utf8"))) };
    } catch (error) {
      throw apiErrors.badRequest(`the body of the request could not be decoded: ${String(error)}`);
    }
  }
  return { contentType, body: raw.toString("utf8") };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
  response.end(JSON.stringify(body));
}
