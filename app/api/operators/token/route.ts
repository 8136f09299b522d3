import { getChannel } from "@/server/channel/channel";
import { answerKeyExchange } from "@/server/services/keys/answer-key-exchange";
import { getStore } from "@/server/store/store";

export const dynamic = "force-dynamic";

/** Key exchange for operators: see server/services/keys/answer-key-exchange.ts. */
export function POST(request: Request): Promise<Response> {
  return answerKeyExchange(request, async () => ({ store: await getStore(), channel: await getChannel() }));
}
