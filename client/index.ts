// The client lives in packages/client (published as @discoparrot/client); this path stays for
// code in this repository that imported `disco-parrot/client`. Named, not `export *`: a plain
// Node ESM script importing this file through tsx sees only exports it can name ahead of time.
export { createDiscoParrotClient, isDiscoParrotError } from "../packages/client/src/index";
export type { AppRouter, DiscoParrotClient, DiscoParrotClientOptions, DiscoParrotError, RouterInputs, RouterOutputs, RunEvent } from "../packages/client/src/index";
