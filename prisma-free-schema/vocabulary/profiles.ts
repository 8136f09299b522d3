export const RESOURCE_CLASSES = {
  small: { label: "Small", cpu: 0.5, memoryMiB: 1024 },
  medium: { label: "Medium", cpu: 1, memoryMiB: 2048 },
  large: { label: "Large", cpu: 2, memoryMiB: 4096 },
  xlarge: { label: "Extra large", cpu: 4, memoryMiB: 8192 },
} as const;
export type TResourceClass = keyof typeof RESOURCE_CLASSES;

/** Templates the platform ships: each names the image it starts from and the agent it runs. */
export const TEMPLATES = {
  shell: { label: "Shell", description: "Runs each turn's input as a shell script in the workspace", image: "discoparrot/sandbox", tag: "latest", agent: "shell" },
} as const;

/** The most warm sandboxes one profile may keep ready. */
export const MAX_WARM_POOL = 5;
