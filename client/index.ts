// The client lives in packages/client (published as @discoparrot/client); this path stays for
// code in this repository that imported `disco-parrot/client`.
export * from "../packages/client/src/index";
