import { randomUUID } from "node:crypto";
import { getToken } from "next-auth/jwt";
import type { Actor } from "../../auth/actor";
import { getAuthSecret } from "../../auth/auth-secret";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import { getEnv } from "../../env";
import { AppError } from "../../errors";
import { log } from "../../log";
import { apiTokenStore } from "../../store/api-token-store";
import { streamLeaseStore } from "../../store/limit-store";
import type { Store } from "../../store/store";
import { apiTokenStatus } from "../api-tokens/api-token-view";
import { isSessionLive } from "../sessions/sessions";

/**
 * Open run event streams per principal (issue 10 item 5), counted in the store so every process
 * sharing it sees the same count: each open stream holds one of the principal's slots
 * (`<principal>~0` … `~<limit-1>`; Cosmos ids may not hold `#`), renews it every HEARTBEAT_MS and frees it when it ends. A
 * process that dies stops renewing; its slots are free again LEASE_MS after their last renewal
 * (and the rows themselves expire by TTL). Past the cap: 429 with Retry-After.
 *
 * Each renewal first checks that the principal may still read the run (`mayStillStream`): an
 * ended session, a revoked or expired token, or a member removed from the workspace ends the
 * stream within HEARTBEAT_MS, instead of it flowing on behind its keep-alives.
 */
export const LEASE_MS = 60_000;
/** How often a stream's slot is renewed and its principal checked again. */
export const HEARTBEAT_MS = 20_000;
/**
 * The longest Retry-After given: a slot frees the moment any of the principal's streams closes,
 * which may be long before the soonest one could lapse, so callers are told to look again soon.
 */
export const RETRY_AFTER_MAX_SECONDS = 10;

/** A person (`user:…`) or one of their API tokens (`token:…`): each token counts on its own. */
export function principalOf(actor: Actor): string {
  return actor.kind === "user" ? `user:${actor.userId}` : `token:${actor.tokenId}`;
}

export interface StreamLease {
  /** Frees the slot; safe to call more than once. */
  release(): Promise<void>;
}

export const STREAM_LIMIT_REACHED = "stream_limit_reached";

/** The refusal: TOO_MANY_REQUESTS with the seconds to wait, for the route or procedure to put in Retry-After. */
export class StreamLimitError extends AppError {
  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      "TOO_MANY_REQUESTS",
      `You have ${limit} run event streams open, the most one person or token may have at once. Close a run's page or stream you no longer watch, or try again in ${retryAfterSeconds} s.`,
      { reason: STREAM_LIMIT_REACHED },
    );
  }
}

/**
 * Who holds a stream, as needed to ask again later whether they still may read the run.
 * `sessionId` is, for a person signed in by cookie, the session document the cookie names; null
 * when the request carried no cookie that could be read (such a stream is not kept); undefined
 * for a caller built in code (tests, a server-side caller without a request): there is no
 * cookie to follow, so only the membership is checked.
 */
export interface StreamHolder {
  actor: Actor;
  workspaceId: string;
  sessionId?: string | null | undefined;
}

/**
 * Whether `holder` may still read the run's events: its cookie's session is live (or its API
 * token still active) and resolveWorkspaceAccess still grants the workspace. A store failure
 * throws (the caller keeps the stream and asks again at the next renewal).
 */
export async function mayStillStream(store: Store, holder: StreamHolder): Promise<boolean> {
  const { actor } = holder;
  if (actor.kind === "user") {
    if (holder.sessionId === null) return false;
    if (holder.sessionId !== undefined && !(await isSessionLive(store, actor.userId, holder.sessionId))) return false;
  } else {
    const token = await apiTokenStore(store).get(actor.tokenId);
    if (!token || token.userId !== actor.userId || token.memberId !== actor.memberId || apiTokenStatus(token) !== "active") return false;
  }
  try {
    await resolveWorkspaceAccess(store, actor, holder.workspaceId);
    return true;
  } catch (error) {
    if (error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) return false;
    throw error;
  }
}

const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/**
 * The session id (`sid`) in the next-auth cookie of a request whose person `userId` was signed in
 * by that cookie, or null when there is none to read. getServerSession checked the cookie already
 * but hands back only the person, so the cookie is decoded again here (same secret, same names,
 * chunked cookies joined), to know which session to follow.
 */
export async function cookieSessionId(headers: Headers, userId: string): Promise<string | null> {
  const cookies: Record<string, string> = {};
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  for (const cookieName of SESSION_COOKIES) {
    if (!Object.keys(cookies).some((name) => name.startsWith(cookieName))) continue;
    // An empty Headers: getToken would otherwise take a Bearer header for a cookie.
    const token = await getToken({ req: { headers: new Headers(), cookies } as never, cookieName, secret: getAuthSecret(), logger: { error: () => undefined } as never });
    if (token && token.sub === userId && typeof token.sid === "string") return token.sid;
  }
  return null;
}

/** How often the slots are read again when other streams kept taking the free ones first. */
const SLOT_SEARCH_PASSES = 3;

/**
 * Takes a free slot for a new stream of `principal` and keeps it renewed until `release` (or
 * until `signal` fires); throws StreamLimitError when every slot is held by a live stream.
 * `onLost` is called if the slot is taken over (this process stalled past LEASE_MS), or if
 * `stillAllowed` (asked before each renewal) says the principal may no longer stream: the slot is
 * freed and the caller ends the stream then, so the count stays true.
 */
export async function holdStreamLease(
  store: Store,
  options: {
    principal: string;
    runId: string;
    signal?: AbortSignal;
    onLost?: () => void;
    stillAllowed?: () => Promise<boolean>;
    limit?: number;
    now?: () => number;
    heartbeatMs?: number;
  },
): Promise<StreamLease> {
  const { principal, runId } = options;
  const now = options.now ?? Date.now;
  const limit = options.limit ?? getEnv().limits.eventStreamsPerPrincipal;
  const leases = streamLeaseStore(store);
  const holder = randomUUID();
  const row = (slot: number) => ({ id: `${principal}~${slot}`, principal, slot, holder, runId, expiresAt: new Date(now() + LEASE_MS).toISOString() });

  // The principal's slots are read in one query (they share a partition), and only a slot seen
  // free or lapsed is tried: opening the twentieth stream costs two round trips, not forty. A slot
  // another stream took in between is passed over; the slots are read again while any was.
  let taken: number | undefined;
  let soonest = Infinity;
  for (let pass = 0; pass < SLOT_SEARCH_PASSES && taken === undefined; pass += 1) {
    const held = new Map((await leases.ofPrincipal(principal)).map((lease) => [lease.slot, lease]));
    let raced = false;
    soonest = Infinity;
    for (let slot = 0; slot < limit && taken === undefined; slot += 1) {
      const current = held.get(slot);
      if (current && Date.parse(current.expiresAt) > now()) {
        soonest = Math.min(soonest, Date.parse(current.expiresAt));
        continue;
      }
      if (await (current ? leases.tryReplace(row(slot), current.etag) : leases.tryCreate(row(slot)))) taken = slot;
      else raced = true;
    }
    if (!raced) break;
  }
  // No slot looked live, but others took each free one first, three times over: try again in a second.
  if (taken === undefined && !Number.isFinite(soonest)) soonest = now() + 1_000;
  if (taken === undefined) {
    const wait = Number.isFinite(soonest) ? Math.ceil((soonest - now()) / 1000) : LEASE_MS / 1000;
    throw new StreamLimitError(limit, Math.min(RETRY_AFTER_MAX_SECONDS, Math.max(1, wait)));
  }

  const slot = taken;
  const id = `${principal}~${slot}`;
  let released = false;
  let renewing = false;
  const lose = async () => {
    await release();
    options.onLost?.();
  };
  const heartbeat = setInterval(() => {
    if (renewing) return;
    renewing = true;
    void (async () => {
      if (options.stillAllowed) {
        let allowed = true;
        try {
          allowed = await options.stillAllowed();
        } catch (error) {
          // The store did not answer: the stream goes on, and is asked again at the next renewal.
          log.warn("run_events.stream_access_check_failed", { principal, runId, error });
        }
        if (released) return;
        if (!allowed) {
          log.info("run_events.stream_access_ended", { principal, runId, slot });
          return lose();
        }
      }
      const current = await leases.read(id, principal);
      if (released) return;
      if (!current || current.holder !== holder || !(await leases.tryReplace(row(slot), current.etag))) {
        log.warn("run_events.stream_lease_lost", { principal, runId, slot });
        await lose();
      }
    })()
      .catch((error: unknown) => log.warn("run_events.stream_lease_renew_failed", { principal, runId, error }))
      .finally(() => {
        renewing = false;
      });
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref?.();

  async function release(): Promise<void> {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    options.signal?.removeEventListener("abort", onAbort);
    try {
      const current = await leases.read(id, principal);
      if (current?.holder === holder) await leases.deleteIfUnchanged(id, principal, current.etag);
    } catch (error) {
      // The slot lapses by itself after LEASE_MS.
      log.warn("run_events.stream_lease_release_failed", { principal, runId, error });
    }
  }
  const onAbort = () => void release();
  if (options.signal?.aborted) await release();
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  return { release };
}
