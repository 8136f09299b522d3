import {
  OPERATOR_COMMANDS,
  type TSandbox,
  ZSandboxCreateReply,
  ZSandboxDestroyReply,
  ZSandboxInspectReply,
  ZSandboxListReply,
  ZSandboxRefreshAccessReply,
} from "@/prisma-free-schema";
import { z } from "zod";
import type { PlatformChannel } from "../../channel/platform-channel";
import { DEFAULT_COMMAND_TIMEOUT_MS } from "../../channel/platform-channel";
import { AppError } from "../../errors";
import type { SandboxInspection, SandboxProvider } from "../sandbox-provider";
import { sandboxSpecOf } from "./sandbox-spec";
import { operatorCommand } from "./operator-command";

export interface OperatorHostProviderOptions {
  /** The host kind this provider serves (default docker): the commands are the same, the spec's kind part differs. */
  kind?: "docker" | "kubernetes";
  /** sandbox.create may pull an image: the operator's own deadline (60 s) decides, so wait a little longer. */
  createTimeoutMs?: number;
  /** Every other command. */
  timeoutMs?: number;
}

/**
 * A bring-your-own host (Local Docker, Kubernetes): each sandbox is a workload (a container, a
 * pod) the host's operator makes and tends, asked over the channel (hub user `host:<id>`) with
 * the one operator protocol (OPERATOR_COMMANDS). The platform decides what a sandbox is (its id,
 * the spec and the sidecar's first URL); the operator decides how (a warm container or a new one,
 * a pod in its namespace).
 */
export class OperatorHostProvider implements SandboxProvider {
  readonly kind: "docker" | "kubernetes";
  private readonly createTimeoutMs: number;
  private readonly timeoutMs: number;

  /** `channel` is asked at each command: the process's channel may be reopened (a restarted embedded hub). */
  constructor(
    private readonly channel: () => Promise<PlatformChannel>,
    options: OperatorHostProviderOptions = {},
  ) {
    this.kind = options.kind ?? "docker";
    this.createTimeoutMs = options.createTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async create(sandbox: TSandbox, accessUrl: string): Promise<void> {
    // The platform keeps warm pools on managed compute only (a Docker host keeps its own): a host's sandbox always has its person.
    if (!sandbox.ownerId) throw new AppError("BAD_REQUEST", "A sandbox on a bring-your-own host is made for a person; this one has none.");
    const spec = sandboxSpecOf(sandbox.definition, sandbox.ownerId);
    // No lock against the host's sync: the sandbox is saved before this, and a sync keeps what is younger than its grace.
    await this.command(sandbox, OPERATOR_COMMANDS.create, { sandboxId: sandbox.id, spec, accessUrl }, ZSandboxCreateReply, this.createTimeoutMs, "start the sandbox");
  }

  async destroy(sandbox: TSandbox): Promise<void> {
    await this.command(sandbox, OPERATOR_COMMANDS.destroy, { sandboxId: sandbox.id }, ZSandboxDestroyReply, this.timeoutMs, "remove the sandbox");
  }

  async inspect(sandbox: TSandbox): Promise<SandboxInspection> {
    const reply = await this.command(sandbox, OPERATOR_COMMANDS.inspect, { sandboxId: sandbox.id }, ZSandboxInspectReply, this.timeoutMs, "inspect the sandbox");
    return { state: reply.state, problem: reply.state === "running" ? null : (reply.problem ?? (reply.state === "missing" ? "its container is gone" : "its container stopped")) };
  }

  async list(hostId: string | null): Promise<string[]> {
    if (!hostId) throw new AppError("BAD_REQUEST", "A host's sandboxes are listed per host.");
    const reply = await operatorCommand(await this.channel(), hostId, OPERATOR_COMMANDS.list, {}, ZSandboxListReply, this.timeoutMs, "list its sandboxes");
    return reply.sandboxIds;
  }

  async refreshAccess(sandbox: TSandbox, accessUrl: string): Promise<void> {
    await this.command(sandbox, OPERATOR_COMMANDS.refreshAccess, { sandboxId: sandbox.id, accessUrl }, ZSandboxRefreshAccessReply, this.timeoutMs, "hand the sandbox a fresh access URL");
  }

  private async command<S extends z.ZodType>(sandbox: TSandbox, type: string, payload: unknown, reply: S, timeoutMs: number, what: string): Promise<z.infer<S>> {
    const hostId = sandbox.definition.hostId;
    if (!hostId) throw new AppError("INTERNAL", `Sandbox ${sandbox.id} is on a bring-your-own host but names no host.`);
    return operatorCommand(await this.channel(), hostId, type, payload, reply, timeoutMs, what);
  }
}
