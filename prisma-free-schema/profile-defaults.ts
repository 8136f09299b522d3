import { z } from "zod";
import { HOST_KINDS, RUNTIME_FAMILIES, ZRuntimeFamilies, ZRuntimeFamily } from "./host";
import {
  DEFAULT_PROFILE_SETTINGS,
  TEMPLATES,
  ZHostChoice,
  ZImage,
  ZImageTag,
  ZProfileSettings,
  ZResourceClass,
  ZTemplateId,
  ZWorkloadIdentity,
  type TProfileSettings,
} from "./profile";

/**
 * What `profiles.create` takes: a name, and any settings that should differ from the defaults.
 * The defaults are DEFAULT_PROFILE_SETTINGS, the settings every workspace's Default profile is
 * made with, so a profile created with only a name is that profile under another name. An image
 * and tag left out follow the template chosen, as the profile form does when the template changes.
 * (idle and warmPool already default in ZProfileSettings.)
 */
export const ZNewProfileSettings = ZProfileSettings.extend({
  hostChoice: ZHostChoice.optional(),
  template: ZTemplateId.optional(),
  image: ZImage.optional(),
  tag: ZImageTag.optional(),
  resourceClass: ZResourceClass.optional(),
  runtimeFamilies: ZRuntimeFamilies.optional(),
  workloadIdentity: ZWorkloadIdentity.nullable().optional(),
  persistentWorkspace: z.boolean().optional(),
});
export type TNewProfileSettings = z.infer<typeof ZNewProfileSettings>;

/** The one place a new profile's missing settings are filled in. */
export function withProfileDefaults(input: Pick<TProfileSettings, "name"> & Partial<TProfileSettings>): TProfileSettings {
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as typeof input;
  const template = TEMPLATES[defined.template ?? DEFAULT_PROFILE_SETTINGS.template];
  return { ...DEFAULT_PROFILE_SETTINGS, image: template.image, tag: template.tag, ...defined };
}

/**
 * Where a profile may run and what each choice allows (seed: sandbox hosts). The profile
 * service enforces exactly these, and `profiles.options` lists them, so the two cannot drift.
 * `workloadIdentity` on a Kubernetes host also needs the host to have workload identity on.
 */
export const HOST_CHOICE_RULES = {
  managed: { kind: "managed", hostKind: null, label: "Managed compute", persistentWorkspace: false, workloadIdentity: false, warmPool: true },
  kubernetes: { kind: "host", hostKind: "kubernetes", label: "A named Kubernetes host", persistentWorkspace: false, workloadIdentity: true, warmPool: false },
  docker: { kind: "host", hostKind: "docker", label: "A named Local Docker host", persistentWorkspace: true, workloadIdentity: false, warmPool: false },
  "default-docker": { kind: "default-docker", hostKind: null, label: "My default Docker host", persistentWorkspace: true, workloadIdentity: false, warmPool: false },
} as const;
export type THostChoiceRule = (typeof HOST_CHOICE_RULES)[keyof typeof HOST_CHOICE_RULES];

/** What `profiles.options` answers: every value `profiles.create` accepts, and what it fills in. */
export const ZProfileOptions = z.object({
  /** What a setting left out of `profiles.create` becomes (image and tag: the template's). */
  defaults: ZProfileSettings.omit({ name: true }),
  templates: z.array(z.object({ id: ZTemplateId, label: z.string(), description: z.string(), image: z.string(), tag: z.string(), agent: z.string() })),
  resourceClasses: z.array(z.object({ id: ZResourceClass, label: z.string(), cpu: z.number(), memoryMiB: z.number() })),
  runtimeFamilies: z.array(ZRuntimeFamily).length(RUNTIME_FAMILIES.length),
  hostChoices: z.array(
    z.object({
      kind: z.enum(["managed", "host", "default-docker"]),
      /** For `host`: which kind of named host (its id comes from `hosts.list`). */
      hostKind: z.enum(HOST_KINDS).nullable(),
      label: z.string(),
      accepts: z.object({ persistentWorkspace: z.boolean(), workloadIdentity: z.boolean(), warmPool: z.boolean() }),
    }),
  ),
  /** Any image and tag matching these (JavaScript regular expressions) is accepted; the templates' are suggestions. */
  image: z.object({ pattern: z.string(), tagPattern: z.string() }),
  maxWarmPool: z.number().int(),
});
export type TProfileOptions = z.infer<typeof ZProfileOptions>;
