/**
 * A ustar archive of small files, built in memory: what `putArchive` takes to write a file into
 * a running container (Docker's API has no "write a file" call). Names are single path
 * segments, so the 100-byte name field is enough; owner and mode are given per file, since the
 * engine extracts them as they are.
 */
export interface ArchiveFile {
  name: string;
  content: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

const BLOCK = 512;

export function tarOf(files: ArchiveFile[]): Buffer {
  const parts: Buffer[] = [];
  const mtime = Math.floor(Date.now() / 1000);
  for (const file of files) {
    if (file.name.length === 0 || Buffer.byteLength(file.name) > 100 || file.name.includes("/")) throw new Error(`tar: unsupported file name ${file.name}`);
    const body = Buffer.from(file.content, "utf8");
    const header = Buffer.alloc(BLOCK, 0);
    header.write(file.name, 0, 100, "utf8");
    octal(header, 100, 8, file.mode ?? 0o644);
    octal(header, 108, 8, file.uid ?? 0);
    octal(header, 116, 8, file.gid ?? 0);
    octal(header, 124, 12, body.length);
    octal(header, 136, 12, mtime);
    header.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
    header.write("0", 156, 1, "ascii"); // a regular file
    header.write("ustar\u000000", 257, 8, "binary");
    const checksum = header.reduce((sum, byte) => sum + byte, 0);
    header.write(`${checksum.toString(8).padStart(6, "0")}\u0000 `, 148, 8, "binary");
    parts.push(header, body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0)); // two empty blocks end the archive
  return Buffer.concat(parts);
}

function octal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(`${value.toString(8).padStart(length - 1, "0")}\u0000`, offset, length, "ascii");
}
