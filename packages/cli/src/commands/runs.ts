import type { Command } from "commander";
import { ZTurnInput } from "../../../../prisma-free-schema/run";
import { CliError, EXIT } from "../exit-codes";
import { findProfileId, runId } from "../find-item";
import { printFields, printJson, printTable, when } from "../output";
import type { Session } from "../session";
import { watchRun } from "../watch-run";
import type { TRunDetail } from "../../../../prisma-free-schema/run";

type Open = (command: Command) => Promise<Session>;
/** Commands that end with an exit code of their own (a turn's outcome) hand it back here. */
type SetExit = (code: number) => void;

function runFields(session: Session, run: TRunDetail): void {
  printFields(session.io, [
    ["Run", run.id],
    ["Profile", run.profileName],
    ["Status", run.status],
    ["Placement", run.placement.provider === "managed" ? "managed compute" : `${run.placement.hostName ?? run.placement.hostId} (${run.placement.provider})`],
    ["Turns", run.turnCount],
    ["Started by", run.startedBy.email],
    ["Created", when(run.createdAt)],
    ["Failure", run.failure],
  ]);
}

export function runsCommand(program: Command, open: Open, setExit: SetExit): void {
  const runs = program.command("runs").description("runs: conversations with an agent in a sandbox");

  runs
    .command("list")
    .description("the workspace's newest runs")
    .option("--limit <n>", "how many", "20")
    .option("--json", "print runs.list's items as JSON")
    .action(async (options: { limit: string }, command: Command) => {
      const session = await open(command);
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new CliError(EXIT.usage, "--limit must be a whole number from 1 to 200.");
      const { items } = await session.client.runs.list.query({ workspaceId: session.workspaceId, limit });
      if (session.json) return printJson(session.io, items);
      printTable(
        session.io,
        ["id", "profile", "status", "turns", "created", "first input"],
        items.map((run) => [run.id, run.profileName, run.status, run.turnCount, when(run.createdAt), run.firstInput?.split("\n")[0]?.slice(0, 60)]),
        "No runs yet.",
      );
    });

  runs
    .command("start <profile> <input...>")
    .description("start a run on a profile (id or name) with its first turn, then watch it unless --detach")
    .option("--detach", "print the run and return at once")
    .option("-q, --quiet", "with --detach: print only the run's id")
    .option("--json", "print runs.start's answer (and, when watching, each event) as JSON lines")
    .action(async (given: string, words: string[], options: { detach?: boolean; quiet?: boolean }, command: Command) => {
      const parsed = ZTurnInput.safeParse(words.join(" "));
      if (!parsed.success) throw new CliError(EXIT.usage, `${parsed.error.issues[0]?.message ?? "Not a valid turn"}.`);
      const session = await open(command);
      const run = await session.client.runs.start.mutate({ workspaceId: session.workspaceId, profileId: await findProfileId(session, given), input: parsed.data });
      if (session.json) session.io.out(`${JSON.stringify(run)}\n`);
      else if (options.detach && options.quiet) session.io.out(`${run.id}\n`);
      else if (options.detach) runFields(session, run);
      else session.io.err(`Started ${run.id} on ${run.profileName}.\n`);
      if (!options.detach) setExit(await watchRun(session, run.id));
    });

  runs
    .command("watch <run>")
    .description("stream a run's output live until its turn ends; exits 0 if it succeeded, 1 if it failed or was cancelled")
    .option("--json", "print each event as a JSON line")
    .action(async (given: string, _options, command: Command) => {
      const id = runId(given);
      const session = await open(command);
      setExit(await watchRun(session, id));
    });

  runs
    .command("get <run>")
    .description("one run")
    .option("--json", "print runs.get's answer as JSON")
    .action(async (given: string, _options, command: Command) => {
      const id = runId(given);
      const session = await open(command);
      const run = await session.client.runs.get.query({ workspaceId: session.workspaceId, runId: id });
      if (session.json) return printJson(session.io, run);
      runFields(session, run);
    });

  runs
    .command("end <run>")
    .description("end a run for good: a running turn is cancelled and its sandbox removed")
    .option("--json", "print runs.end's answer as JSON")
    .action(async (given: string, _options, command: Command) => {
      const id = runId(given);
      const session = await open(command);
      const run = await session.client.runs.end.mutate({ workspaceId: session.workspaceId, runId: id });
      if (session.json) return printJson(session.io, run);
      session.io.out(`Ended ${run.id} (${run.profileName}).\n`);
    });
}
