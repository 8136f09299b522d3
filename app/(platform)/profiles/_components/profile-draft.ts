import type { TProfileSettings, TResourceClass, TRuntimeFamily } from "@/prisma-free-schema";
import { DEFAULT_PROFILE_SETTINGS, ZProfileSettings } from "@/prisma-free-schema/profile";
import { TEMPLATES } from "@/prisma-free-schema/vocabulary";

export type TemplateId = keyof typeof TEMPLATES;
export type HostChoiceKind = TProfileSettings["hostChoice"]["kind"];

/** The form's state: every input as typed, including the parts a choice hides (a host id, identity GUIDs). */
export interface ProfileDraft {
  name: string;
  hostKind: HostChoiceKind;
  hostId: string;
  template: TemplateId;
  image: string;
  tag: string;
  resourceClass: TResourceClass;
  runtimeFamilies: TRuntimeFamily[];
  useWorkloadIdentity: boolean;
  clientId: string;
  tenantId: string;
  persistentWorkspace: boolean;
  /** The idle policy's two numbers, as typed. */
  pauseAfterMinutes: string;
  endAfterHours: string;
  /** How many warm sandboxes, as typed. */
  warmPool: string;
}

/** Where a problem shows: a settings field, or one of the workload identity's two inputs. */
export type DraftField = keyof TProfileSettings | "workloadIdentity.clientId" | "workloadIdentity.tenantId" | "idle.pauseAfterMinutes" | "idle.endAfterHours";

export const SETTINGS_FIELDS = [
  "name",
  "hostChoice",
  "template",
  "image",
  "tag",
  "resourceClass",
  "runtimeFamilies",
  "workloadIdentity",
  "persistentWorkspace",
  "idle",
  "warmPool",
] as const satisfies readonly (keyof TProfileSettings)[];

export function draftFromSettings(settings: TProfileSettings): ProfileDraft {
  return {
    name: settings.name,
    hostKind: settings.hostChoice.kind,
    hostId: settings.hostChoice.kind === "host" ? settings.hostChoice.hostId : "",
    template: settings.template,
    image: settings.image,
    tag: settings.tag,
    resourceClass: settings.resourceClass,
    runtimeFamilies: settings.runtimeFamilies,
    useWorkloadIdentity: settings.workloadIdentity !== null,
    clientId: settings.workloadIdentity?.clientId ?? "",
    tenantId: settings.workloadIdentity?.tenantId ?? "",
    persistentWorkspace: settings.persistentWorkspace,
    pauseAfterMinutes: String(settings.idle.pauseAfterMinutes),
    endAfterHours: String(settings.idle.endAfterHours),
    warmPool: String(settings.warmPool),
  };
}

/** A new profile starts from the platform's defaults, with its name left to the person. */
export function newProfileDraft(): ProfileDraft {
  return { ...draftFromSettings(DEFAULT_PROFILE_SETTINGS), name: "" };
}

/** A typed number; blank or not a number is NaN, which the schema answers with "Give a number …". */
function numberOf(typed: string): number {
  return typed.trim() === "" ? Number.NaN : Number(typed);
}

function hostChoiceOf(draft: ProfileDraft): TProfileSettings["hostChoice"] {
  if (draft.hostKind === "host") return { kind: "host", hostId: draft.hostId };
  return { kind: draft.hostKind };
}

/**
 * The draft as settings, checked with the same schema the server uses, so each problem shows
 * beside its own input (the server's zod errors on an update name only "settings").
 */
export function settingsFromDraft(draft: ProfileDraft): { ok: true; settings: TProfileSettings } | { ok: false; errors: Partial<Record<DraftField, string>> } {
  const errors: Partial<Record<DraftField, string>> = {};
  if (draft.hostKind === "host" && !draft.hostId) errors.hostChoice = "Choose a host.";
  const parsed = ZProfileSettings.safeParse({
    name: draft.name,
    hostChoice: hostChoiceOf(draft),
    template: draft.template,
    image: draft.image,
    tag: draft.tag,
    resourceClass: draft.resourceClass,
    runtimeFamilies: draft.runtimeFamilies,
    workloadIdentity: draft.useWorkloadIdentity ? { clientId: draft.clientId.trim(), tenantId: draft.tenantId.trim() } : null,
    persistentWorkspace: draft.persistentWorkspace,
    idle: { pauseAfterMinutes: numberOf(draft.pauseAfterMinutes), endAfterHours: numberOf(draft.endAfterHours) },
    warmPool: numberOf(draft.warmPool),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first, second] = issue.path;
      const field: DraftField | undefined =
        first === "workloadIdentity" && (second === "clientId" || second === "tenantId")
          ? `workloadIdentity.${second}`
          : first === "idle" && (second === "pauseAfterMinutes" || second === "endAfterHours")
            ? `idle.${second}`
            : SETTINGS_FIELDS.find((candidate) => candidate === first);
      if (field) errors[field] ??= issue.message;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, settings: parsed.data };
}
