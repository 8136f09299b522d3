import { processIo } from "./output";
import { runParrot } from "./program";

// The process's exit code is the command's: 0 ok, 1 failure, 2 usage, 3 refused, 4 not found (exit-codes.ts).
runParrot(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.stderr.write("parrot: an unexpected error stopped the command.\n");
    process.exitCode = 1;
  },
);
