import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { HOST_KIND_LABELS, HOST_STATUS_LABELS } from "../../../../prisma-free-schema/vocabulary/hosts";
import { allHosts, findHostId } from "../find-item";
import { printFields, printJson, printTable, when } from "../output";
import type { Session } from "../session";

type Open = (command: Command) => Promise<Session>;

export function hostsCommand(program: Command, open: Open): void {
  const hosts = program.command("hosts").description("bring-your-own hosts: Kubernetes clusters and Docker engines");

  hosts
    .command("list")
    .description("every host in the workspace")
    .option("--json", "print hosts.list's items as JSON")
    .action(async (_options, command: Command) => {
      const session = await open(command);
      const items = await allHosts(session);
      if (session.json) return printJson(session.io, items);
      printTable(
        session.io,
        ["id", "name", "kind", "status", "last seen", "operator"],
        items.map((host) => [host.id, host.name, HOST_KIND_LABELS[host.kind], HOST_STATUS_LABELS[host.status], when(host.lastSeenAt), host.operatorVersion]),
        "No hosts yet: register one on the Hosts page.",
      );
    });

  hosts
    .command("get <host>")
    .description("one host, by id or name")
    .option("--json", "print hosts.get's answer as JSON")
    .action(async (given: string, _options, command: Command) => {
      const session = await open(command);
      const host = await session.client.hosts.get.query({ workspaceId: session.workspaceId, hostId: await findHostId(session, given) });
      if (session.json) return printJson(session.io, host);
      printFields(session.io, [
        ["Id", host.id],
        ["Name", host.name],
        ["Kind", HOST_KIND_LABELS[host.kind]],
        ["Status", HOST_STATUS_LABELS[host.status]],
        ["Last seen", when(host.lastSeenAt)],
        ["Operator", host.operatorVersion],
        ["Runtimes", host.runtimeFamilies.join(", ")],
        ["Install key", host.installKeyFingerprint],
        ["Registered by", host.createdByEmail],
      ]);
    });

  hosts
    .command("bundle <host>")
    .description("download the operator bundle, as the host page does: a new install key, the previous one retired at once")
    .option("--out <dir>", "the folder to write the files to", ".")
    .option("--json", "print the bundle (files included, install key inside) as JSON instead of writing files")
    .action(async (given: string, options: { out: string }, command: Command) => {
      const session = await open(command);
      const bundle = await session.client.hosts.downloadOperatorBundle.mutate({ workspaceId: session.workspaceId, hostId: await findHostId(session, given) });
      if (session.json) return printJson(session.io, bundle);
      // `npm run parrot` runs in the repository's folder; INIT_CWD is where the person typed it.
      const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.out);
      fs.mkdirSync(out, { recursive: true });
      for (const file of bundle.files) {
        // Names come from the platform: only the base name is used, so a file can never land outside --out.
        const target = path.join(out, path.basename(file.filename));
        fs.writeFileSync(target, file.content, { mode: file.holdsKey ? 0o600 : 0o644 });
        session.io.out(`Wrote ${target}${file.holdsKey ? " (holds the install key: treat it like a password)" : ""}\n`);
      }
      session.io.out(`Install key fingerprint ${bundle.fingerprint}; operators dial ${bundle.platformUrl}.\n`);
      if (bundle.commands.length > 0) session.io.out(`Then run:\n${bundle.commands.map((line) => `  ${line}`).join("\n")}\n`);
    });
}
