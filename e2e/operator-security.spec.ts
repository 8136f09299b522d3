import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { WebPubSubClient } from "@azure/web-pubsub-client";
import { expect, type APIRequestContext, test } from "@playwright/test";
import { parse, parseAllDocuments } from "yaml";
import { baseURL, newWorkspace } from "./fixtures";
import { callProcedure, downloadBundle, installKeyOf, registerHostByApi } from "./operator-fixtures";

/**
 * The operator's door, probed from outside against the running server: the key exchange gives a
 * prober nothing to tell cases apart, is throttled per key, hands out tokens that can do nothing
 * but talk to the platform, and no key ever lands in a log line or an audit row.
 */
test.describe.configure({ mode: "serial" });

let api: APIRequestContext;
let workspaceId: string;
const keysSeen = new Set<string>();

const exchange = (hostId: string, key: string) =>
  fetch(`${baseURL()}/api/operators/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ hostId, key }) });
const randomKey = () => `opk_${randomBytes(32).toString("base64url")}`;

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  workspaceId = await newWorkspace(page, "Sam Security", "sam@security.test", "Security review");
  api = page.request;
});

test("every refused key exchange gets the same 401, byte for byte", async () => {
  const host = await registerHostByApi(api, workspaceId, { name: "probe-target", kind: "docker" });
  await callProcedure(api, "workspaces.setByoChannel", { workspaceId, enabled: true });
  const first = installKeyOf(await downloadBundle(api, workspaceId, host.id));
  const current = installKeyOf(await downloadBundle(api, workspaceId, host.id));
  keysSeen.add(first).add(current);

  const doomed = await registerHostByApi(api, workspaceId, { name: "probe-deleted", kind: "docker" });
  const doomedKey = installKeyOf(await downloadBundle(api, workspaceId, doomed.id));
  keysSeen.add(doomedKey);
  await callProcedure(api, "hosts.delete", { workspaceId, hostId: doomed.id, force: true });

  const cases: [string, () => Promise<Response>][] = [
    ["unknown host", () => exchange("host_zzzzzzzzzzzzzzzzzzzz", randomKey())],
    ["wrong key", () => exchange(host.id, randomKey())],
    ["retired key", () => exchange(host.id, first)],
    ["deleted host", () => exchange(doomed.id, doomedKey)],
  ];
  const bodies: string[] = [];
  for (const [name, attempt] of cases) {
    const response = await attempt();
    expect(response.status, name).toBe(401);
    bodies.push(await response.text());
  }
  await callProcedure(api, "workspaces.setByoChannel", { workspaceId, enabled: false });
  const channelOff = await exchange(host.id, current);
  expect(channelOff.status, "channel off").toBe(401);
  bodies.push(await channelOff.text());
  await callProcedure(api, "workspaces.setByoChannel", { workspaceId, enabled: true });

  expect(new Set(bodies).size).toBe(1);
  expect(bodies[0]).not.toMatch(/deleted|retired|unknown|channel|plan/i);

  const granted = await exchange(host.id, current);
  expect(granted.status).toBe(200);
});

test("a key gets five attempts a minute, then 429 with Retry-After", async () => {
  const host = await registerHostByApi(api, workspaceId, { name: "probe-throttle", kind: "docker" });
  const guess = randomKey();
  for (let attempt = 1; attempt <= 5; attempt += 1) expect((await exchange(host.id, guess)).status).toBe(401);
  const sixth = await exchange(host.id, guess);
  expect(sixth.status).toBe(429);
  expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(Number(sixth.headers.get("retry-after"))).toBeLessThanOrEqual(60);
});

test("the right key is never throttled: an operator restarting often, or whose host is sprayed with wrong keys, still gets in", async () => {
  const host = await registerHostByApi(api, workspaceId, { name: "probe-restarts", kind: "docker" });
  await callProcedure(api, "workspaces.setByoChannel", { workspaceId, enabled: true });
  const key = installKeyOf(await downloadBundle(api, workspaceId, host.id));
  keysSeen.add(key);
  // Ten restarts in a row, each exchanging the key again.
  for (let restart = 1; restart <= 10; restart += 1) expect((await exchange(host.id, key)).status, `restart ${restart}`).toBe(200);
  // Someone sprays the host id with ever-new wrong keys until they are throttled…
  const statuses: number[] = [];
  for (let guess = 0; guess < 25; guess += 1) statuses.push((await exchange(host.id, randomKey())).status);
  expect(statuses).toContain(429);
  expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
  // …and the operator with its right key still gets in.
  expect((await exchange(host.id, key)).status).toBe(200);
});

test("an operator's token can join no group and reach no other user; a forged token cannot connect", async () => {
  const mine = await registerHostByApi(api, workspaceId, { name: "token-mine", kind: "docker" });
  const other = await registerHostByApi(api, workspaceId, { name: "token-other", kind: "docker" });
  const mineKey = installKeyOf(await downloadBundle(api, workspaceId, mine.id));
  const otherKey = installKeyOf(await downloadBundle(api, workspaceId, other.id));
  keysSeen.add(mineKey).add(otherKey);
  const mineUrl = ((await (await exchange(mine.id, mineKey)).json()) as { url: string }).url;
  const otherUrl = ((await (await exchange(other.id, otherKey)).json()) as { url: string }).url;
  expect(new URL(mineUrl).hostname).toBe("127.0.0.1");

  const attacker = new WebPubSubClient(mineUrl, { autoReconnect: false });
  const victim = new WebPubSubClient(otherUrl, { autoReconnect: false });
  const victimReceived: unknown[] = [];
  victim.on("group-message", (event) => victimReceived.push(event.message.data));
  // The platform's own commands to the victim are expected; anything carrying the attacker's payload is not.
  victim.on("server-message", (event) => {
    if (JSON.stringify(event.message.data).includes("pwn")) victimReceived.push(event.message.data);
  });
  try {
    await attacker.start();
    await victim.start();
    await expect(attacker.joinGroup("host:" + other.id)).rejects.toBeTruthy();
    await expect(attacker.sendToGroup("host:" + other.id, { pwn: true }, "json")).rejects.toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(victimReceived).toEqual([]);
  } finally {
    attacker.stop();
    victim.stop();
  }

  // The same claims, signed with a key that is not the hub's.
  const token = new URL(mineUrl).searchParams.get("access_token")!;
  const [head, claims] = token.split(".");
  const signature = createHmac("sha256", randomBytes(32)).update(`${head}.${claims}`).digest("base64url");
  const forgedUrl = new URL(mineUrl);
  forgedUrl.searchParams.set("access_token", `${head}.${claims}.${signature}`);
  const forged = new WebPubSubClient(forgedUrl.toString(), { autoReconnect: false });
  await expect(forged.start()).rejects.toBeTruthy();
  forged.stop();
});

test("a Kubernetes bundle has no Service, Ingress or port and validates against the Kubernetes schemas; a Compose bundle publishes no port", async () => {
  const kube = await registerHostByApi(api, workspaceId, { name: "bundle-kube", kind: "kubernetes" });
  const bundle = await downloadBundle(api, workspaceId, kube.id);
  expect(bundle.files).toHaveLength(1);
  keysSeen.add(installKeyOf(bundle));
  const documents = parseAllDocuments(bundle.files[0]!.content).map((document) => document.toJS() as { kind: string });
  const kinds = documents.map((document) => document.kind);
  expect(kinds).not.toContain("Service");
  expect(kinds).not.toContain("Ingress");
  expect(bundle.files[0]!.content).not.toMatch(/containerPort|hostPort|\bports:|webpubsub/i);
  // kubernetes-models is ESM-only; the spec is loaded as CommonJS, so it comes in by import().
  const [{ Deployment }, { Role, RoleBinding }, { ConfigMap, Namespace, Secret, ServiceAccount }, { NetworkPolicy }] = await Promise.all([
    import("kubernetes-models/apps/v1"),
    import("kubernetes-models/rbac.authorization.k8s.io/v1"),
    import("kubernetes-models/v1"),
    import("kubernetes-models/networking.k8s.io/v1"),
  ]);
  const models: Record<string, new (data: never) => { validate(): void }> = { Namespace, ServiceAccount, Role, RoleBinding, NetworkPolicy, Secret, ConfigMap, Deployment };
  for (const document of documents) {
    const Model = models[document.kind];
    expect(Model, `unexpected kind ${document.kind}`).toBeDefined();
    expect(() => new Model!(document as never).validate()).not.toThrow();
  }

  const docker = await registerHostByApi(api, workspaceId, { name: "bundle-docker", kind: "docker" });
  const compose = await downloadBundle(api, workspaceId, docker.id);
  keysSeen.add(installKeyOf(compose));
  const composeFile = compose.files.find((file) => !file.holdsKey)!;
  expect(composeFile.content).not.toContain("opk_");
  const services = (parse(composeFile.content) as { services: Record<string, Record<string, unknown>> }).services;
  for (const service of Object.values(services)) {
    expect(service.ports).toBeUndefined();
    expect(service.network_mode).not.toBe("host");
  }
});

test("no install key appears in any server log line or audit row", async () => {
  expect(keysSeen.size).toBeGreaterThanOrEqual(6);
  const audit = await callProcedure<{ items: { eventType: string; data: Record<string, unknown> }[] }>(api, "audit.list", { workspaceId, limit: 100, eventType: "host.operator_bundle" }, "query");
  expect(audit.items.length).toBeGreaterThanOrEqual(6);
  for (const row of audit.items) expect(String(row.data.fingerprint ?? row.data.keyFingerprint)).toMatch(/^sha256:[0-9a-f]{12}$/);
  const auditText = JSON.stringify((await callProcedure(api, "audit.list", { workspaceId, limit: 100 }, "query")));
  const log = fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "server.log"), "utf8");
  expect(log).toContain("operator.key_exchange");
  for (const key of keysSeen) {
    expect(auditText).not.toContain(key);
    expect(auditText).not.toContain(key.slice(4, 24));
    expect(log).not.toContain(key.slice(4, 24));
  }
  expect(log).not.toMatch(/opk_[A-Za-z0-9_-]{8,}/);
  expect(log).not.toMatch(/access_token=/);
});
