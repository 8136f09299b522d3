import { ZKeyExchangeRequest } from "@/prisma-free-schema";
import type { Channel } from "../channel/channel";
import { log } from "../log";
import { exchangeInstallKey } from "../services/keys/exchange-install-key";
import type { Store } from "../store/store";

const NO_STORE = { "cache-control": "no-store" };
/** The one answer to every refused exchange, byte for byte, so a probe learns nothing. */
const REJECTED_BODY = JSON.stringify({ error: "unauthorized", message: "The host id and install key were not accepted." });

/**
 * Key exchange: an operator trades its host id and install key for a client access URL on the
 * channel (seed: network and connectivity). The request body is the only input; the key is
 * never logged.
 */
export async function answerKeyExchange(request: Request, open: () => Promise<{ store: Store; channel: Channel }>): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: "bad_request", message: "The body must be JSON: {\"hostId\": \"host_…\", \"key\": \"opk_…\"}." }, { status: 400, headers: NO_STORE });
  }
  const parsed = ZKeyExchangeRequest.safeParse(body);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "body"))];
    return Response.json({ error: "bad_request", message: `Check ${fields.join(", ")}: the body is {"hostId": "host_…", "key": "opk_…"}.` }, { status: 400, headers: NO_STORE });
  }

  try {
    const { store, channel } = await open();
    const result = await exchangeInstallKey({
      store,
      request: parsed.data,
      issue: (userId, minutes) => channel.platform.clientAccessUrl(userId, minutes),
    });
    log.info("operator.key_exchange", { hostId: parsed.data.hostId, outcome: result.outcome, operatorVersion: parsed.data.operatorVersion });
    if (result.outcome === "granted") return Response.json(result.response, { headers: NO_STORE });
    if (result.outcome === "throttled") {
      return Response.json(
        { error: "too_many_attempts", message: `Too many attempts with this key; try again in ${result.retryAfterSeconds} s.` },
        { status: 429, headers: { ...NO_STORE, "retry-after": String(result.retryAfterSeconds) } },
      );
    }
    return new Response(REJECTED_BODY, { status: 401, headers: { ...NO_STORE, "content-type": "application/json" } });
  } catch (error) {
    log.error("operator.key_exchange_failed", { hostId: parsed.data.hostId, error });
    return Response.json({ error: "unavailable", message: "The platform could not complete the exchange; try again shortly." }, { status: 503, headers: { ...NO_STORE, "retry-after": "5" } });
  }
}
