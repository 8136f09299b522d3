import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { apiErrors } from "./api-errors";

export interface UserInfo {
  username: string;
  groups: string[];
  /** Set for service accounts, for RBAC subjects of kind ServiceAccount. */
  serviceAccount?: { namespace: string; name: string };
}

/** The superuser group: requests from it bypass authorization, as on a real cluster. */
export const MASTERS_GROUP = "system:masters";
const ADMIN: UserInfo = { username: "kubernetes-admin", groups: [MASTERS_GROUP, "system:authenticated"] };

/**
 * Bearer tokens to identities: one cluster-admin token, and one opaque token per service account
 * (real ones are JWTs; no client here reads them). A service account's token stops working once
 * its ServiceAccount is gone, as a bound token does.
 */
export class TokenAuthenticator {
  readonly adminToken = `admin-${randomBytes(24).toString("hex")}`;
  private readonly serviceAccountTokens = new Map<string, { namespace: string; name: string }>();

  constructor(private readonly serviceAccountExists: (namespace: string, name: string) => boolean) {}

  tokenFor(namespace: string, name: string): string {
    for (const [token, account] of this.serviceAccountTokens) if (account.namespace === namespace && account.name === name) return token;
    const token = `sa-${randomBytes(24).toString("hex")}`;
    this.serviceAccountTokens.set(token, { namespace, name });
    return token;
  }

  /** The requester, after impersonation (`kubectl --as`), or a 401/403 KubeApiError. */
  authenticate(headers: IncomingHttpHeaders): UserInfo {
    const token = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1]?.trim();
    const user = token === this.adminToken ? ADMIN : this.serviceAccountUser(token);
    if (!user) throw apiErrors.unauthorized();
    const impersonated = headers["impersonate-user"];
    if (typeof impersonated !== "string") return user;
    if (!user.groups.includes(MASTERS_GROUP)) {
      throw apiErrors.forbidden({ group: "", resource: "users" }, impersonated, `User "${user.username}" cannot impersonate resource "users" in API group "" at the cluster scope`);
    }
    const target = userNamed(impersonated);
    return { ...target, groups: [...new Set([...target.groups, ...[headers["impersonate-group"] ?? []].flat()])] };
  }

  private serviceAccountUser(token: string | undefined): UserInfo | undefined {
    const account = token ? this.serviceAccountTokens.get(token) : undefined;
    if (!account || !this.serviceAccountExists(account.namespace, account.name)) return undefined;
    return userNamed(`system:serviceaccount:${account.namespace}:${account.name}`);
  }
}

/** The groups the authenticator (or impersonation) gives a username. */
function userNamed(username: string): UserInfo {
  const account = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  if (!account) return { username, groups: ["system:authenticated"] };
  const [, namespace = "", name = ""] = account;
  return { username, groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, "system:authenticated"], serviceAccount: { namespace, name } };
}
