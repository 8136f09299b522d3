import type { TAgentKind } from "@/prisma-free-schema";
import type { AgentAdapter } from "./agent-adapter";
import { commandAgent } from "./command-agent";
import { shellAgent } from "./shell-agent";

/** The adapter for the sandbox's `DISCOPARROT_AGENT`; `command` needs its CLI (checked with the settings). */
export function selectAgent(kind: TAgentKind, agentCommand: string | undefined): AgentAdapter {
  if (kind === "shell") return shellAgent;
  if (!agentCommand) throw new Error("the command agent needs DISCOPARROT_AGENT_COMMAND");
  return commandAgent(agentCommand);
}
