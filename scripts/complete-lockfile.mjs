// Run after `npm install` on a machine whose registry serves only Linux builds (as ours does):
// npm then leaves other platforms' optional packages (@next/swc-darwin-arm64, …) out of
// package-lock.json, and `npm ci` refuses the lockfile as out of sync (npm/cli#4828, #8320).
// This adds those entries back with the version the parent asks for and the os/cpu their name
// states, so `npm ci` recognises them as not for this platform and never fetches them.
import fs from "node:fs";

const OS = ["darwin", "linux", "win32", "android", "freebsd", "openbsd", "netbsd", "sunos", "aix", "openharmony"];
const CPU = ["x64", "arm64", "arm", "ia32", "ppc64", "s390x", "riscv64", "loong64", "mips64el", "wasm32"];

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = parts.filter((part) => OS.includes(part));
  const cpu = parts.filter((part) => CPU.includes(part));
  const libc = parts.includes("musl") ? ["musl"] : parts.includes("gnu") && os.includes("linux") ? ["glibc"] : [];
  return { os, cpu, libc };
}

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const packages = lock.packages;
let added = 0;
for (const [parentPath, parent] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(parent.optionalDependencies ?? {})) {
    const nested = `${parentPath ? `${parentPath}/` : ""}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    const { os, cpu, libc } = platformOf(name);
    if (os.length === 0 && cpu.length === 0) {
      console.warn(`left alone (no platform in its name): ${name}@${version}`);
      continue;
    }
    packages[hoisted] = {
      version,
      ...(parent.dev ? { dev: true } : {}),
      optional: true,
      ...(os.length ? { os } : {}),
      ...(cpu.length ? { cpu } : {}),
      ...(libc.length ? { libc } : {}),
    };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} entries for other platforms' optional packages`);
