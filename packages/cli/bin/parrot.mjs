#!/usr/bin/env node
// `parrot` as a command: the TypeScript sources run through tsx's loader, no build step.
// Link it onto PATH with `ln -s "$PWD/packages/cli/bin/parrot.mjs" ~/.local/bin/parrot`.
import { tsImport } from "tsx/esm/api";

await tsImport("../src/main.ts", import.meta.url);
