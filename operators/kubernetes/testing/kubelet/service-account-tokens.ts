import type { CoreV1Api } from "@kubernetes/client-node";
import { apiStatus } from "./kube-objects";

/** A service account's token for the API server itself (no audience), as the test wires it or the API's TokenRequest gives it. */
export type ServiceAccountTokenSource = (namespace: string, serviceAccount: string, expirationSeconds: number) => Promise<string> | string;

/** Why a volume cannot be set up yet; the container waits in ContainerCreating with this as its message. */
export class VolumeSetupError extends Error {}

/** The default source: the `serviceaccounts/token` subresource (TokenRequest), as a real kubelet asks for it. */
export function tokenRequestSource(core: CoreV1Api): ServiceAccountTokenSource {
  return async (namespace, serviceAccount, expirationSeconds) => {
    try {
      const response = await core.createNamespacedServiceAccountToken({ namespace, name: serviceAccount, body: { spec: { audiences: [], expirationSeconds } } });
      return response.status?.token ?? "";
    } catch (error) {
      const status = apiStatus(error);
      throw new VolumeSetupError(`failed to fetch token: TokenRequest for ${namespace}/${serviceAccount} failed${status ? ` (HTTP ${status})` : ""}; pass serviceAccountToken to startTestKubelet when the API server has no TokenRequest`);
    }
  };
}

/**
 * A token for another audience (Azure Workload Identity's `api://AzureADTokenExchange`): shaped
 * like a projected service-account token (a JWT with the claims Azure AD would check) but unsigned,
 * since nothing here can verify one; code under test can read the file and parse it, not trade it.
 */
export function unsignedAudienceToken(namespace: string, serviceAccount: string, audience: string, expirationSeconds: number): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims = { iss: "https://test-kubelet.invalid", sub: `system:serviceaccount:${namespace}:${serviceAccount}`, aud: [audience], iat: now, nbf: now, exp: now + expirationSeconds };
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`;
}

/** What a projected token is for; a pod asking again for the same gets the same token until it is due for renewal. */
export interface TokenKey {
  podUid: string;
  namespace: string;
  account: string;
  audience: string;
  expirationSeconds: number;
}

const TOKEN_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The kubelet's token manager, in short: a projected token is kept and written again as it is
 * (so re-projecting a volume does not swap its files for nothing) until 80% of its lifetime or
 * 24 h have passed, then fetched anew.
 */
export class TokenCache {
  private readonly tokens = new Map<string, { token: string; renewAt: number }>();

  async get(key: TokenKey, fetch: () => Promise<string> | string): Promise<string> {
    const id = JSON.stringify([key.podUid, key.namespace, key.account, key.audience, key.expirationSeconds]);
    const cached = this.tokens.get(id);
    if (cached && Date.now() < cached.renewAt) return cached.token;
    const token = await fetch();
    this.tokens.set(id, { token, renewAt: Date.now() + Math.min(key.expirationSeconds * 800, TOKEN_MAX_AGE_MS) });
    return token;
  }

  forgetPod(uid: string): void {
    for (const id of this.tokens.keys()) if ((JSON.parse(id) as string[])[0] === uid) this.tokens.delete(id);
  }
}
