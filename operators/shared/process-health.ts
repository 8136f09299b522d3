import os from "node:os";
import type { THealthFacts } from "@/prisma-free-schema";

/**
 * Facts every operator can report about the process it runs in; the Docker and Kubernetes
 * operators add their own (engine version, node count) to these.
 */
export function processHealth(): THealthFacts {
  return {
    nodeVersion: process.version,
    platform: process.platform,
    arch: process.arch,
    uptimeSeconds: Math.round(process.uptime()),
    hostname: os.hostname().slice(0, 256),
  };
}
