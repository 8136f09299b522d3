import type { TKeyExchangeRequest, TKeyExchangeResponse } from "@/prisma-free-schema";
import { hostStore } from "../../store/host-store";
import type { Store } from "../../store/store";
import { workspaceStore } from "../../store/workspace-store";
import { getEnv } from "../../env";
import { countRefusedExchange, type RefusalLimits } from "./count-refused-exchange";
import { installKeyMatches } from "./install-key";

/** The operator's connection lasts about an hour and is renewed by exchanging again before then. */
export const OPERATOR_TOKEN_MINUTES = 60;
const RENEW_BEFORE_SECONDS = 10 * 60;

/** Issues a client access URL on the channel for one hub user id, valid for `minutes`, with no roles. */
export type ClientAccessIssuer = (userId: string, minutes: number) => Promise<string>;

export type KeyExchangeResult =
  | { outcome: "granted"; hostId: string; workspaceId: string; response: TKeyExchangeResponse }
  | { outcome: "rejected" }
  | { outcome: "throttled"; retryAfterSeconds: number };

/**
 * The one door onto the channel for an operator (seed: network and connectivity). Every
 * failure — unknown host, wrong or retired key, deleted host, plan without BYO hosts, channel
 * not configured — is the same `rejected`, so a probe learns nothing; the key is checked in
 * constant time. Only refusals are counted (per presented key and per named host,
 * KEY_EXCHANGE_REFUSALS_PER_KEY / _PER_HOST a minute); past either, a refusal is `throttled`
 * instead. The right key is checked first and never counted, so an operator that restarts
 * often, or whose host id someone is spraying wrong keys at, is never locked out.
 */
export async function exchangeInstallKey(options: {
  store: Store;
  request: TKeyExchangeRequest;
  issue: ClientAccessIssuer;
  now?: number;
  limits?: RefusalLimits;
}): Promise<KeyExchangeResult> {
  const { store, request, issue } = options;
  const now = options.now ?? Date.now();
  const granted = await grantee(store, request);
  if (!granted) {
    const limits = options.limits ?? { perKey: getEnv().limits.keyExchangeRefusalsPerKey, perHost: getEnv().limits.keyExchangeRefusalsPerHost };
    const counted = await countRefusedExchange(store, request, limits, now);
    return counted.throttled ? { outcome: "throttled", retryAfterSeconds: counted.retryAfterSeconds } : { outcome: "rejected" };
  }
  const { host } = granted;

  const url = await issue(`host:${host.id}`, OPERATOR_TOKEN_MINUTES);
  return {
    outcome: "granted",
    hostId: host.id,
    workspaceId: host.workspaceId,
    response: { url, expiresAt: new Date(now + OPERATOR_TOKEN_MINUTES * 60_000).toISOString(), renewBeforeSeconds: RENEW_BEFORE_SECONDS },
  };
}

/** The host the key opens, when everything holds; undefined for every kind of refusal alike. */
async function grantee(store: Store, request: TKeyExchangeRequest) {
  const host = await hostStore(store).findById(request.hostId);
  // Compare even when the host is unknown, so the time taken says nothing either.
  const keyMatches = installKeyMatches(request.key, host?.installKeyHash ?? null);
  if (!host || !keyMatches) return undefined;
  const workspace = await workspaceStore(store).get(host.workspaceId);
  if (!workspace || !workspace.plan.byoHosts || !workspace.byoChannelConfigured) return undefined;
  return { host };
}
