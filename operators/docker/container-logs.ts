import type Docker from "dockerode";

/**
 * A container's last log lines, for the person reading why their sandbox stopped. Without a TTY
 * the engine multiplexes stdout and stderr into frames (an 8-byte header: stream, 3 zero bytes,
 * a big-endian length); both Docker and Podman's compatible API do, so the frames are unpacked here.
 */
export async function lastLogLines(container: Docker.Container, lines: number): Promise<string> {
  const raw = (await container.logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
  return demultiplex(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))).trimEnd().split("\n").slice(-lines).join("\n");
}

export function demultiplex(raw: Buffer): string {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const stream = raw[offset]!;
    const framed = stream <= 2 && raw[offset + 1] === 0 && raw[offset + 2] === 0 && raw[offset + 3] === 0;
    if (!framed) return raw.toString("utf8"); // a TTY container's plain stream
    const length = raw.readUInt32BE(offset + 4);
    out.push(raw.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(out).toString("utf8");
}
