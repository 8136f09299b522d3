import type { Command } from "commander";
import type { TResolution } from "../../../../prisma-free-schema/profile";
import { HOST_KIND_LABELS } from "../../../../prisma-free-schema/vocabulary/hosts";
import { CliError, EXIT } from "../exit-codes";
import { allHosts, allProfiles, findProfileId } from "../find-item";
import { printJson, printTable } from "../output";
import type { Session } from "../session";

type Open = (command: Command) => Promise<Session>;

/** Where a launch would land, in the profile page's words (resolution-panel.tsx). */
export function landing(resolution: Extract<TResolution, { ok: true }>): string {
  if (!resolution.host) return "Launches land on managed compute.";
  const via = resolution.viaDefaultDockerHost ? " via your default Docker host" : "";
  return `Launches land on ${resolution.host.name} (${HOST_KIND_LABELS[resolution.host.kind]})${via}.`;
}

export function profilesCommand(program: Command, open: Open): void {
  const profiles = program.command("profiles").description("launch profiles: what a run starts from and where it lands");

  profiles
    .command("list")
    .description("every profile in the workspace")
    .option("--json", "print profiles.list's items as JSON")
    .action(async (_options, command: Command) => {
      const session = await open(command);
      const items = await allProfiles(session);
      if (session.json) return printJson(session.io, items);
      const hostNames = new Map((await allHosts(session)).map((host) => [host.id, host.name]));
      printTable(
        session.io,
        ["id", "name", "host", "template", "image", "class"],
        items.map((profile) => [
          profile.id,
          profile.name,
          profile.hostChoice.kind === "managed"
            ? "managed compute"
            : profile.hostChoice.kind === "host"
              ? (hostNames.get(profile.hostChoice.hostId) ?? profile.hostChoice.hostId)
              : "your default Docker host",
          profile.template,
          `${profile.image}:${profile.tag}`,
          profile.resourceClass,
        ]),
        "No profiles yet.",
      );
    });

  profiles
    .command("resolve <profile>")
    .description("where a launch of the profile would land right now, or why it would be refused (exit 3)")
    .option("--json", "print profiles.resolve's answer as JSON")
    .action(async (given: string, _options, command: Command) => {
      const session = await open(command);
      const resolution = await session.client.profiles.resolve.query({ workspaceId: session.workspaceId, profileId: await findProfileId(session, given) });
      if (session.json) printJson(session.io, resolution);
      else if (resolution.ok) session.io.out(`${landing(resolution)}\n`);
      if (!resolution.ok) {
        // The JSON already says why; people get the page's heading and the resolver's reason.
        if (session.json) throw new CliError(EXIT.refused, resolution.message);
        throw new CliError(EXIT.refused, `A launch would be refused: ${resolution.message}`);
      }
    });
}
