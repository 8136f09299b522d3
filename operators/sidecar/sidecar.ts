import type { THealthFacts } from "@/prisma-free-schema";
import { type ChannelOutcome, type ChannelStatus, type ChannelTiming, OperatorChannel } from "../shared/operator-channel";
import type { OperatorLog } from "../shared/operator-log";
import { processHealth } from "../shared/process-health";
import { within } from "../shared/wait";
import { selectAgent } from "./agents/select-agent";
import type { AgentAdapter } from "./agents/agent-adapter";
import { EventLog } from "./event-log";
import { sidecarHandlers } from "./handlers";
import { RunEvents } from "./run-events";
import type { TSidecarSettings } from "./sidecar-settings";
import { TurnRunner } from "./turn-runner";
import { UrlFileGrants } from "./url-file-grants";
import { SIDECAR_VERSION } from "./version";

/**
 * The program inside a sandbox, as an object: the shared channel client (hub user
 * `sandbox:<id>`, its access URL from a file), the event log, the agent's one turn at a time, and
 * the handlers for every sidecar command. `run()` lasts until `stop()`, which cancels a running
 * turn (its `turn.ended` is logged, and sent if it can be within a moment) before leaving the hub.
 */
export interface SidecarOptions {
  settings: TSidecarSettings;
  log: OperatorLog;
  /** Default: the one `settings.agent` names. */
  agent?: AgentAdapter;
  timing?: Partial<ChannelTiming>;
}

/** How long stopping waits for the last events (the cancelled turn's end) to go out. */
const DRAIN_GRACE_MS = 2_000;

export class Sidecar {
  readonly channel: OperatorChannel;
  readonly events: RunEvents;
  readonly turns: TurnRunner;
  private readonly eventLog: EventLog;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: SidecarOptions) {
    const { settings, log } = options;
    this.eventLog = EventLog.open(settings.eventLog);
    // Created first, used only once the channel exists: events are sent through it.
    let channel: OperatorChannel | undefined;
    this.events = new RunEvents(this.eventLog, async (event, data) => (channel ? channel.sendEvent(event, data) : false), log);
    this.turns = new TurnRunner({ agent: options.agent ?? selectAgent(settings.agent, settings.agentCommand), workspaceDir: settings.workspaceDir, events: this.events, log });
    this.turns.closeInterrupted();
    const grants = new UrlFileGrants(settings.accessUrlFile);
    channel = new OperatorChannel({
      grants,
      operatorVersion: SIDECAR_VERSION,
      handlers: sidecarHandlers({ settings, turns: this.turns, events: this.events, grants, log, shutdown: () => void this.stop() }),
      health: () => this.health(),
      log,
      timing: options.timing,
    });
    this.channel = channel;
  }

  run(): Promise<ChannelOutcome> {
    return this.channel.run();
  }

  get status(): ChannelStatus {
    return this.channel.status;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.turns.stop();
      await within(this.events.drained(), { ms: DRAIN_GRACE_MS });
      await this.channel.stop();
      this.eventLog.close();
    })();
    return this.stopping;
  }

  /** What each check-in carries: the process, and the sandbox's own facts. */
  private health(): THealthFacts {
    return { ...processHealth(), sandboxId: this.options.settings.sandboxId, agent: this.options.settings.agent, busy: this.turns.busy };
  }
}
