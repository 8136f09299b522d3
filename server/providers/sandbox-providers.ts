import path from "node:path";
import type { TSandboxProviderKind } from "@/prisma-free-schema";
import { getChannel } from "../channel/channel";
import { AppError } from "../errors";
import { OperatorHostProvider } from "./operator-host/operator-host-provider";
import { LocalProcessProvider } from "./managed/local-process-provider";
import type { SandboxProvider } from "./sandbox-provider";

/** How long the platform waits for a Kubernetes operator's create: past the operator's own deadline for a pod to come up (90 s by default, at most 110 s). */
const KUBERNETES_CREATE_TIMEOUT_MS = 120_000;

/** The providers this platform can launch on, by kind. */
export type SandboxProviders = Partial<Record<TSandboxProviderKind, SandboxProvider>>;

export function defaultSandboxProviders(dataDir: string): SandboxProviders {
  return {
    managed: new LocalProcessProvider(path.join(dataDir, "sandboxes")),
    // The channel is looked up per command: boot opens it after the providers may be made.
    docker: new OperatorHostProvider(async () => (await getChannel()).platform),
    // A pod may wait for its image and a node: the operator's create answers within its own deadline (KUBERNETES_CREATE_MS).
    kubernetes: new OperatorHostProvider(async () => (await getChannel()).platform, { kind: "kubernetes", createTimeoutMs: KUBERNETES_CREATE_TIMEOUT_MS }),
  };
}

export function providerFor(providers: SandboxProviders, kind: TSandboxProviderKind): SandboxProvider {
  const provider = providers[kind];
  if (!provider) {
    // Every kind has a provider in a running platform (defaultSandboxProviders); only a process set up without one gets here.
    throw new AppError("PRECONDITION_FAILED", `This platform process cannot launch sandboxes on ${kind === "managed" ? "managed compute" : kind === "docker" ? "Local Docker hosts" : "Kubernetes hosts"}; use another profile.`);
  }
  return provider;
}

const PROVIDERS_KEY = Symbol.for("discoparrot.sandboxProviders");
type ProvidersHolder = { [PROVIDERS_KEY]?: SandboxProviders };

/** This process's providers (kept on globalThis: Next.js may load this module in several bundles). */
export function getSandboxProviders(dataDir: string): SandboxProviders {
  const holder = globalThis as ProvidersHolder;
  holder[PROVIDERS_KEY] ??= defaultSandboxProviders(dataDir);
  return holder[PROVIDERS_KEY];
}
