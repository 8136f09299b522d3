import Link from "next/link";
import type { TProfileView } from "@/prisma-free-schema";
import { HOST_KIND_LABELS, RESOURCE_CLASSES, TEMPLATES } from "@/prisma-free-schema/vocabulary";
import { ui } from "@/app/_lib/ui";
import { TableShell } from "../../_components/table-shell";
import { ProfileReadiness } from "./profile-readiness";
import { resourceClassSize } from "./resource-class";
import { runsOnLabel } from "./runs-on";
import type { AllHosts } from "./use-all-hosts";
import { useProfileReadiness } from "./use-profile-readiness";

const HEADINGS = ["Name", "Readiness", "Runs on", "Template", "Image", "Resource class"] as const;
const cell = "block px-5 py-1 sm:px-6 lg:table-cell lg:px-4 lg:py-3 lg:align-top";
const { mobileLabel } = ui;

interface ProfilesTableProps {
  workspaceId: string;
  profiles: readonly TProfileView[];
  hosts: AllHosts | undefined;
}

export function ProfilesTable({ workspaceId, profiles, hosts }: ProfilesTableProps) {
  const readiness = useProfileReadiness(workspaceId, profiles);
  return (
    <TableShell caption="Sandbox profiles" headings={HEADINGS}>
      {profiles.map((profile) => {
        const runsOn = runsOnLabel(profile.hostChoice, hosts);
        const size = RESOURCE_CLASSES[profile.resourceClass];
        return (
          <tr key={profile.id} className="block py-3 lg:table-row lg:py-0">
            <th scope="row" className={`${cell} font-medium`}>
              <Link href={`/profiles/${profile.id}`} className={`${ui.link} break-words`}>
                {profile.name}
              </Link>
            </th>
            <td className={cell} data-testid="profile-readiness">
              <span className={mobileLabel}>Readiness</span>
              <ProfileReadiness resolution={readiness.get(profile.id)} state={readiness.state(profile.id)} />
            </td>
            <td className={`${cell} text-slate-700`}>
              <span className={mobileLabel}>Runs on</span>
              {runsOn.host ? (
                <span>
                  <span className="font-mono">{runsOn.label}</span>
                  <span className="block text-xs text-slate-500 max-lg:inline max-lg:before:content-['_·_']">{HOST_KIND_LABELS[runsOn.host.kind]}</span>
                </span>
              ) : (
                runsOn.label
              )}
            </td>
            <td className={`${cell} text-slate-700`}>
              <span className={mobileLabel}>Template</span>
              {TEMPLATES[profile.template].label}
            </td>
            <td className={cell}>
              <span className={mobileLabel}>Image</span>
              <code className="break-all font-mono text-xs text-slate-800">
                {profile.image}:{profile.tag}
              </code>
            </td>
            <td className={`${cell} text-slate-700`}>
              <span className={mobileLabel}>Resource class</span>
              <span className="lg:block">{size.label}</span>
              <span className="ml-2 text-xs text-slate-500 lg:ml-0 lg:block lg:whitespace-nowrap">{resourceClassSize(profile.resourceClass)}</span>
            </td>
          </tr>
        );
      })}
    </TableShell>
  );
}
