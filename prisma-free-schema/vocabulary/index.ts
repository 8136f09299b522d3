/**
 * The platform's fixed vocabulary (scopes, kinds, statuses, labels, limits) and the pure rules
 * over it, without a single zod schema: what a page's browser code may import without carrying
 * zod and every schema into its JavaScript. The schema modules re-export all of it, so server
 * code keeps importing from `@/prisma-free-schema`.
 */
export * from "./audit";
export * from "./hosts";
export * from "./platform-address";
export * from "./profiles";
export * from "./readiness";
export * from "./runs";
export * from "./scopes";
export * from "./tokens";
