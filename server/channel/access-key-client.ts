import { createSecretKey } from "node:crypto";
import { WebPubSubServiceClient } from "@azure/web-pubsub";

/**
 * A service client for a connection string with an access key, as `new
 * WebPubSubServiceClient(connectionString, hub)` makes one, but holding the key as a secret
 * KeyObject rather than a string. The client signs a JWT for every REST call with
 * `jsonwebtoken.sign(…, credential.key)`, and jsonwebtoken, given a string, first tries to read it
 * as a PEM private key (`createPrivateKey`, which throws) before using it as an HMAC secret: that
 * failed parse was the largest single cost of sending a command. Given a KeyObject it signs
 * straight away, with the same key bytes, so the tokens are the same.
 */
export function accessKeyClient(connectionString: string, hub: string, options: { allowInsecureConnection: boolean }): WebPubSubServiceClient {
  const { endpoint, accessKey } = parseConnectionString(connectionString);
  // The SDK reads only `.key` of a key credential, and hands it to jsonwebtoken, which takes a KeyObject.
  const credential = { key: createSecretKey(Buffer.from(accessKey)) } as unknown as ConstructorParameters<typeof WebPubSubServiceClient>[1];
  return new WebPubSubServiceClient(endpoint, credential, hub, options);
}

/** Endpoint (with its Port, if any) and AccessKey, read as the SDK's own parseConnectionString reads them. */
export function parseConnectionString(connectionString: string): { endpoint: string; accessKey: string } {
  const parts = new Map<string, string>();
  for (const part of connectionString.split(";")) {
    const at = part.indexOf("=");
    if (at !== -1) parts.set(part.slice(0, at).toLowerCase(), part.slice(at + 1));
  }
  let endpoint = parts.get("endpoint");
  if (!endpoint) throw new TypeError("The Web PubSub connection string has no Endpoint.");
  if (!endpoint.startsWith("http")) endpoint = `https://${endpoint}`;
  const accessKey = parts.get("accesskey");
  if (!accessKey) throw new TypeError("The Web PubSub connection string has no AccessKey.");
  const url = new URL(endpoint);
  const port = parts.get("port");
  if (port !== undefined) url.port = port;
  return { endpoint: url.toString(), accessKey };
}
