import {
  HOST_CHOICE_RULES,
  IMAGE_PATTERN,
  IMAGE_TAG_PATTERN,
  MAX_WARM_POOL,
  RESOURCE_CLASSES,
  RUNTIME_FAMILIES,
  TEMPLATES,
  type TProfileOptions,
  type TResourceClass,
  type TTemplateId,
  withProfileDefaults,
} from "@/prisma-free-schema";

/**
 * The catalogue an API caller builds a profile from, read off the same tables the schemas and
 * `validateProfileSettings` use, so what is listed is what `profiles.create` accepts.
 */
export function profileOptions(): TProfileOptions {
  const { name: _name, ...defaults } = withProfileDefaults({ name: "Defaults" });
  return {
    defaults,
    templates: (Object.keys(TEMPLATES) as TTemplateId[]).map((id) => ({ id, ...TEMPLATES[id] })),
    resourceClasses: (Object.keys(RESOURCE_CLASSES) as TResourceClass[]).map((id) => ({ id, ...RESOURCE_CLASSES[id] })),
    runtimeFamilies: [...RUNTIME_FAMILIES],
    hostChoices: Object.values(HOST_CHOICE_RULES).map(({ kind, hostKind, label, persistentWorkspace, workloadIdentity, warmPool }) => ({
      kind,
      hostKind,
      label,
      accepts: { persistentWorkspace, workloadIdentity, warmPool },
    })),
    image: { pattern: IMAGE_PATTERN.source, tagPattern: IMAGE_TAG_PATTERN.source },
    maxWarmPool: MAX_WARM_POOL,
  };
}
