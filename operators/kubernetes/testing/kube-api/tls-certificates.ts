import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface ServerCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * A throwaway CA and a server certificate it signs for 127.0.0.1 and localhost, made with the
 * openssl CLI (Node's crypto can't issue certificates). Clients verify against the CA, as they
 * verify a cluster's: kubectl via certificate-authority-data, client-node's loadFromCluster via
 * ca.crt. The CA must carry CA:true and the leaf a subjectAltName, or Go's TLS stack refuses them.
 */
export function generateServerCertificates(): ServerCertificates {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kube-api-tls-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  try {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", file("ca.key"), "-out", file("ca.crt"), "-days", "2", "-subj", "/CN=test-kube-api-ca", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=kube-apiserver");
    writeFileSync(file("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n");
    openssl("x509", "-req", "-in", file("server.csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"), "-CAcreateserial", "-out", file("server.crt"), "-days", "2", "-extfile", file("server.ext"));
    return { caPem: readFileSync(file("ca.crt"), "utf8"), certPem: readFileSync(file("server.crt"), "utf8"), keyPem: readFileSync(file("server.key"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
