/**
 * The layering rules (ARCHITECTURE.md, STYLE.md), checked in CI by `npm run check:layers`:
 * routers → services → store, channel, providers; route handlers thin; operators and the schema
 * package never reach into the platform. Tests may cross layers to set a scene (a platform
 * harness for an operator's test, say); what ships may not.
 */
const TESTS = "(\\.test\\.tsx?$|\\.fixture\\.ts$|/testing/)";

module.exports = {
  forbidden: [
    {
      name: "operators-stay-outside",
      comment: "Operators and sidecars run outside the platform (on hosts, in sandboxes): they share only the schema package with it.",
      severity: "error",
      from: { path: "^operators/", pathNot: TESTS },
      to: { path: "^(server|app|client)/" },
    },
    {
      name: "schema-is-a-leaf",
      comment: "prisma-free-schema/ is imported by the platform, the operators and the client; it imports only zod.",
      severity: "error",
      from: { path: "^prisma-free-schema/", pathNot: TESTS },
      to: { path: "^(server|operators|app|client|e2e|bench)/" },
    },
    {
      name: "routers-are-thin",
      comment: "A router validates input and calls services; queries live in the store, channel calls in services.",
      severity: "error",
      from: { path: "^server/routers/", pathNot: TESTS },
      to: { path: "^server/(store|channel|providers)/" },
    },
    {
      name: "services-know-no-transport",
      comment: "Services do not know tRPC or routes; the routers and route handlers translate for them.",
      severity: "error",
      from: { path: "^server/services/", pathNot: TESTS },
      to: { path: "^(server/(routers|trpc|http)/|app/)" },
    },
    {
      name: "store-is-below",
      comment: "The store holds the queries; it calls nothing above it.",
      severity: "error",
      from: { path: "^server/store/", pathNot: TESTS },
      to: { path: "^server/(services|routers|trpc|http|channel|providers|scheduler)/" },
    },
    {
      name: "route-handlers-are-thin",
      comment: "Route handlers and pages open the store and call services or server/http/; they run no queries of their own.",
      severity: "error",
      from: { path: "^app/" },
      to: { path: "^server/store/", pathNot: "^server/store/store\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^node_modules|^\\.next|^dist|^test-results)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"], extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"] },
  },
};
