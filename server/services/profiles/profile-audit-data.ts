import type { TAuditData, TProfileSettings } from "@/prisma-free-schema";

/** The facts of a profile an auditor wants: where it runs and as whom. */
export function profileAuditData(settings: TProfileSettings): TAuditData {
  return {
    host: settings.hostChoice.kind === "host" ? settings.hostChoice.hostId : settings.hostChoice.kind,
    image: `${settings.image}:${settings.tag}`,
    resourceClass: settings.resourceClass,
    runtimeFamilies: settings.runtimeFamilies,
    workloadIdentityClientId: settings.workloadIdentity?.clientId ?? null,
    persistentWorkspace: settings.persistentWorkspace,
    idlePauseMinutes: settings.idle.pauseAfterMinutes,
    idleEndHours: settings.idle.endAfterHours,
  };
}
