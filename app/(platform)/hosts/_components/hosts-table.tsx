import Link from "next/link";
import type { THostSummary } from "@/prisma-free-schema";
import { HOST_KIND_LABELS } from "@/prisma-free-schema/vocabulary";
import { ui } from "@/app/_lib/ui";
import { RuntimeFamilyChips } from "../../_components/runtime-family-chips";
import { TableShell } from "../../_components/table-shell";
import { HostStatusBadge } from "./host-status-badge";
import { LastSeen } from "./last-seen";

const HEADINGS = ["Name", "Kind", "Status", "Runtime families", "Last seen", "Operator version"] as const;
const cell = "block px-5 py-1 sm:px-6 lg:table-cell lg:px-4 lg:py-3 lg:align-middle";
const { mobileLabel } = ui;

export function HostsTable({ hosts }: { hosts: readonly THostSummary[] }) {
  return (
    <TableShell caption="Sandbox hosts" headings={HEADINGS}>
      {hosts.map((host) => (
        <tr key={host.id} className="block py-3 lg:table-row lg:py-0">
          <th scope="row" className={`${cell} font-medium`}>
            <Link href={`/hosts/${host.id}`} className={`${ui.link} break-all font-mono`}>
              {host.name}
            </Link>
          </th>
          <td className={`${cell} text-slate-700`}>
            <span className={mobileLabel}>Kind</span>
            <span className="whitespace-nowrap">{HOST_KIND_LABELS[host.kind]}</span>
          </td>
          <td className={cell}>
            <span className={mobileLabel}>Status</span>
            <HostStatusBadge status={host.status} />
          </td>
          <td className={cell}>
            <span className={`${mobileLabel} mb-1 block`}>Runtime families</span>
            <RuntimeFamilyChips families={host.runtimeFamilies} />
          </td>
          <td className={`${cell} whitespace-nowrap text-slate-700`}>
            <span className={mobileLabel}>Last seen</span>
            <LastSeen at={host.lastSeenAt} />
          </td>
          <td className={`${cell} text-slate-700`}>
            <span className={mobileLabel}>Operator version</span>
            {host.operatorVersion ? <span className="font-mono text-xs">{host.operatorVersion}</span> : "—"}
          </td>
        </tr>
      ))}
    </TableShell>
  );
}
