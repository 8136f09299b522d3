import { getChannel } from "@/server/channel/channel";
import { answerKeyExchange } from "@/server/http/answer-key-exchange";
import { getStore } from "@/server/store/store";
import { configuredBodyLimit, withBodyLimit } from "@/server/web/body-limit";

export const dynamic = "force-dynamic";

/** Key exchange for operators: see server/http/answer-key-exchange.ts. */
export const POST = withBodyLimit(
  (request: Request): Promise<Response> => answerKeyExchange(request, async () => ({ store: await getStore(), channel: await getChannel() })),
  configuredBodyLimit,
);
