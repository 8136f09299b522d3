import { Fragment } from "react";
import { useLocaleFormat } from "@/app/_components/use-locale-format";
import { formatComputeTime } from "@/app/_lib/duration";
import { ui } from "@/app/_lib/ui";
import { TableShell } from "../../_components/table-shell";

interface ProfileUsage {
  profileId: string;
  profileName: string;
  seconds: number;
}

const cell = "block px-5 py-1 sm:px-6 lg:table-cell lg:px-4 lg:py-3 lg:align-top";
const { mobileLabel } = ui;
// Colour is added per row (plain or total), never on top of another colour utility.
const timeCell = `${cell} whitespace-nowrap tabular-nums`;

export function ProfileUsageTable({ profiles, totalSeconds }: { profiles: readonly ProfileUsage[]; totalSeconds: number }) {
  const format = useLocaleFormat();
  return (
    <TableShell caption="Managed compute by profile" headings={["Profile", "Managed compute"]}>
      {profiles.map((profile) => (
        <tr key={profile.profileId} className="block py-3 lg:table-row lg:py-0">
          <th scope="row" className={`${cell} break-words font-medium text-slate-900`}>
            {profile.profileName}
          </th>
          <td className={`${timeCell} text-slate-700`}>
            <span className={mobileLabel}>Managed compute</span>
            {formatComputeTime(profile.seconds, format.number)}
          </td>
        </tr>
      ))}
      <tr className="block bg-slate-50 py-3 font-semibold lg:table-row lg:py-0">
        <th scope="row" className={`${cell} text-slate-900`}>
          All profiles
        </th>
        <td className={`${timeCell} text-slate-900`}>
          <span className={mobileLabel}>Managed compute</span>
          {formatComputeTime(totalSeconds, format.number)}
        </td>
      </tr>
    </TableShell>
  );
}

export function DailyUsageTable({ days }: { days: readonly { day: string; seconds: number; profiles: readonly ProfileUsage[] }[] }) {
  const format = useLocaleFormat();
  return (
    <TableShell caption="Managed compute by day and profile, newest day first" headings={["Day", "Profile", "Managed compute"]}>
      {days.map((day) => (
        <Fragment key={day.day}>
          {day.profiles.map((profile) => (
            <tr key={profile.profileId} className="block py-3 lg:table-row lg:py-0">
              <th scope="row" className={`${cell} whitespace-nowrap font-medium text-slate-900`}>
                <time dateTime={day.day}>{format.utcDay(day.day)}</time>
              </th>
              <td className={`${cell} break-words text-slate-700`}>
                <span className={mobileLabel}>Profile</span>
                {profile.profileName}
              </td>
              <td className={`${timeCell} text-slate-700`}>
                <span className={mobileLabel}>Managed compute</span>
                {formatComputeTime(profile.seconds, format.number)}
              </td>
            </tr>
          ))}
          <tr className="block border-b border-slate-200 bg-slate-50 py-3 font-semibold lg:table-row lg:py-0">
            <th scope="row" className={`${cell} whitespace-nowrap text-slate-900`}>
              <span className="sr-only">{format.utcDay(day.day)}, </span>
              Day total
            </th>
            <td className={`${cell} text-slate-500 max-lg:hidden`}>All profiles</td>
            <td className={`${timeCell} text-slate-900`}>
              <span className={mobileLabel}>Managed compute</span>
              {formatComputeTime(day.seconds, format.number)}
            </td>
          </tr>
        </Fragment>
      ))}
    </TableShell>
  );
}
