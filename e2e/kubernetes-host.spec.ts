import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { type OperatorProcess, startTestCluster, type TestCluster } from "../operators/kubernetes/testing/test-cluster";
import { newWorkspace } from "./fixtures";
import { callProcedure } from "./operator-fixtures";
import Docker from "dockerode";
import { engineSocket, SANDBOX_IMAGE } from "./test-engine";

/**
 * A Kubernetes host end to end, on the test cluster (the test API server, which the real kubectl
 * and client-node speak to unmodified, and the test kubelet running pods on podman): the admin
 * registers it, downloads its manifest, applies that very file with kubectl, and the operator
 * starts from the manifest's Secret and ConfigMap; the host turns Registered with its health
 * facts, and a run on a profile pointing at it streams live from a pod, hardened as seed 004 says.
 */
let cluster: TestCluster | undefined;
let operator: OperatorProcess | undefined;
let bundleFolder: string | undefined;
test.afterAll(async () => {
  if (operator) fs.writeFileSync(path.join(process.env.E2E_DATA_DIR!, "kubernetes-operator.log"), operator.lines.join("\n"));
  await cluster?.stop();
  // The downloaded manifest holds an install key: it does not outlive the spec.
  if (bundleFolder) fs.rmSync(bundleFolder, { recursive: true, force: true });
});

test("a run on a Kubernetes host streams live from a hardened pod the operator made from the downloaded manifest", async ({ page }) => {
  test.setTimeout(240_000);
  // The run's engine (global setup serves it); the kubelet's containers carry a host id of their own, and go when it stops.
  cluster = await startTestCluster({ engine: { docker: new Docker({ socketPath: engineSocket() }), hostId: "host_e2ekubeletnode000000" } });

  const workspaceId = await newWorkspace(page, "Kira Kube", "kira@kube.test", "Cluster team");
  await callProcedure(page.request, "workspaces.setByoChannel", { workspaceId, enabled: true });
  await page.goto("/hosts");
  await page.getByRole("link", { name: "Register host" }).click();
  await page.getByRole("group", { name: "Kind" }).getByLabel("Kubernetes operator").check();
  await page.getByLabel("Name", { exact: true }).fill("kira-eks");
  await page.getByRole("group", { name: "Runtime families" }).getByLabel("node", { exact: true }).check();
  await page.getByRole("button", { name: "Register host" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "kira-eks" })).toBeVisible();
  const hostId = new URL(page.url()).pathname.split("/").pop()!;

  await page.getByRole("button", { name: "Download operator bundle" }).click();
  await expect(page.getByRole("heading", { name: "Operator bundle ready" })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^Download discoparrot-operator-.*\.yaml$/ }).click()]);
  bundleFolder = fs.mkdtempSync(path.join(os.tmpdir(), "dp-kube-bundle-"));
  const manifestFile = path.join(bundleFolder, download.suggestedFilename());
  await download.saveAs(manifestFile);

  // The exact file, applied as the host page says; nothing in it listens.
  const applied = await cluster.applyFile(manifestFile);
  const namespace = applied.find((object) => object.kind === "Namespace")!.metadata.name;
  expect((await cluster.kubectl("get", "svc,ingress", "-n", namespace)).stdout).toBe("");

  operator = cluster.startOperator(namespace);
  const operatorPanel = page.getByRole("region", { name: "Operator", exact: true });
  await expect(operatorPanel.getByRole("status")).toHaveText(/^Registered:/, { timeout: 45_000 });
  await expect(page.getByTestId("host-ready")).toHaveText("Ready to launch sandboxes.");
  await expect(page.getByText("Kubernetes version")).toBeVisible();
  await expect(page.getByText("v1.30.4")).toBeVisible();
  await expect(page.getByText("Operator permissions")).toBeVisible();
  await expect(page.getByText("The operator holds every permission it needs in its namespace.")).toBeVisible();
  expect(operator.lines.join("\n")).not.toMatch(/opk_[A-Za-z0-9_-]{8,}/);

  const profile = await callProcedure<{ id: string }>(page.request, "profiles.create", {
    workspaceId,
    name: "On kira-eks",
    hostChoice: { kind: "host", hostId },
    template: "shell",
    image: SANDBOX_IMAGE.image,
    tag: SANDBOX_IMAGE.tag,
    resourceClass: "small",
    runtimeFamilies: ["node"],
    workloadIdentity: null,
    persistentWorkspace: false,
  });
  await page.goto(`/profiles/${profile.id}`);
  await page.getByLabel("First turn").fill(
    [
      "echo pod says hello; sleep 1",
      'while read -r line; do case "$line" in Uid:*|CapEff:*|NoNewPrivs:*) echo "$line";; esac; done < /proc/self/status',
      "ls /var/run/secrets/kubernetes.io/serviceaccount 2>/dev/null && echo token-mounted || echo no service account token",
    ].join("; "),
  );
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/run_/);
  const turn = page.getByRole("region", { name: "Turn 1 output" });
  await expect(turn.getByText("pod says hello")).toBeVisible({ timeout: 90_000 });
  // The pod lines follow a one-second sleep; on a busy machine the stream can lag well behind it.
  await expect(turn.getByText(/Uid:\s+1000/)).toBeVisible({ timeout: 60_000 });
  await expect(turn.getByText(/CapEff:\s+0{16}/)).toBeVisible();
  await expect(turn.getByText(/NoNewPrivs:\s+1/)).toBeVisible();
  await expect(turn.getByText("no service account token")).toBeVisible();
  await expect(page.getByText(/kira-eks/).first()).toBeVisible();

  // The pod is the one the kubelet runs, labelled for this host; ending the run removes it.
  const pods = JSON.parse((await cluster.kubectl("get", "pods", "-n", namespace, "-l", `discoparrot.dev/host-id=${hostId}`, "-o", "json")).stdout) as { items: unknown[] };
  expect(pods.items).toHaveLength(1);
});
