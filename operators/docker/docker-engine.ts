import Docker from "dockerode";

/** Where the engine's API is when DOCKER_HOST is unset (Docker's own default). */
export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

/**
 * A dockerode client for the engine named by DOCKER_HOST: `unix:///path/to.sock` (Docker, or
 * Podman's `podman system service`) or `tcp://host:port` (plain HTTP; TLS engines are not
 * supported here). Throws with a message naming DOCKER_HOST when it cannot be understood.
 */
export function dockerEngineFrom(env: Record<string, string | undefined>): Docker {
  const raw = env.DOCKER_HOST?.trim();
  if (!raw) return new Docker({ socketPath: DEFAULT_DOCKER_SOCKET });
  if (raw.startsWith("unix://")) {
    const socketPath = raw.slice("unix://".length);
    if (!socketPath.startsWith("/")) throw new Error("DOCKER_HOST: a unix socket must be an absolute path (unix:///path/to.sock)");
    return new Docker({ socketPath });
  }
  if (raw.startsWith("tcp://")) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error("DOCKER_HOST: not a tcp://host:port address");
    }
    if (!url.port) throw new Error("DOCKER_HOST: a tcp address needs a port (tcp://host:2375)");
    return new Docker({ host: url.hostname, port: Number(url.port), protocol: "http" });
  }
  throw new Error("DOCKER_HOST: use unix:///path/to.sock or tcp://host:port");
}

/** The engine's version, or an error saying why it cannot be reached (within `timeoutMs`). */
export async function engineVersion(docker: Docker, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return (await Promise.race([docker.version(), timeout])).Version;
  } finally {
    clearTimeout(timer);
  }
}
