import { z } from "zod";

/**
 * The JSON subprotocol frames (WEBPUBSUB.md §4.2/§4.3) and the payload conversions between REST
 * bodies, client frames and upstream CloudEvents bodies (§3.2, §5.4).
 */
export const JSON_PROTOCOL = "json.webpubsub.azure.v1";
export const RELIABLE_PROTOCOL = "json.reliable.webpubsub.azure.v1";
export const SUPPORTED_PROTOCOLS: readonly string[] = [RELIABLE_PROTOCOL, JSON_PROTOCOL];

export type DataType = "json" | "text" | "binary";

/** A message body ready for a frame: `dataJson` is the JSON text of the frame's `data` field. */
export interface Payload {
  dataType: DataType;
  dataJson: string;
}

export type Converted<T> = { ok: true; value: T } | { ok: false; message: string };

/** REST send body → payload, by content type: text/plain → text, application/json → json, octet-stream → binary. */
export function payloadFromHttp(contentType: string | undefined, body: Buffer): Converted<Payload> {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  switch (type) {
    case "text/plain":
      return { ok: true, value: { dataType: "text", dataJson: JSON.stringify(body.toString("utf8")) } };
    case "application/json": {
      const text = body.toString("utf8");
      try {
        JSON.parse(text);
      } catch {
        return { ok: false, message: "The body is not valid JSON." };
      }
      // Valid JSON text is a valid JSON value inside the frame; reusing it spares a re-serialisation of up to 1 MiB.
      return { ok: true, value: { dataType: "json", dataJson: text } };
    }
    case "application/octet-stream":
      return { ok: true, value: { dataType: "binary", dataJson: JSON.stringify(body.toString("base64")) } };
    default:
      return { ok: false, message: `Content type '${contentType ?? ""}' is not supported; use text/plain, application/json or application/octet-stream.` };
  }
}

/** Client frame `data` → payload; binary data is base64 and is re-encoded so every receiver gets canonical base64. */
export function payloadFromFrame(dataType: DataType, data: unknown): Converted<Payload> {
  if (dataType === "json") return data === undefined ? { ok: false, message: "data is required." } : { ok: true, value: { dataType, dataJson: JSON.stringify(data) } };
  if (typeof data !== "string") return { ok: false, message: `data must be a string when dataType is ${dataType}.` };
  if (dataType === "text") return { ok: true, value: { dataType, dataJson: JSON.stringify(data) } };
  return { ok: true, value: { dataType, dataJson: JSON.stringify(Buffer.from(data, "base64").toString("base64")) } };
}

/** Payload → the body and Content-Type of a user event sent upstream. */
export function payloadToHttp(payload: Payload): { contentType: string; body: Buffer } {
  switch (payload.dataType) {
    case "json":
      return { contentType: "application/json", body: Buffer.from(payload.dataJson, "utf8") };
    case "text":
      return { contentType: "text/plain", body: Buffer.from(JSON.parse(payload.dataJson) as string, "utf8") };
    case "binary":
      return { contentType: "application/octet-stream", body: Buffer.from(JSON.parse(payload.dataJson) as string, "base64") };
  }
}

/** An upstream response body → payload (§5.4): unknown content types travel as binary. */
export function payloadFromUpstream(contentType: string | null, body: Buffer): Converted<Payload> {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/json" || type === "text/plain") return payloadFromHttp(type, body);
  return payloadFromHttp("application/octet-stream", body);
}

export type MessageSource = { from: "server" } | { from: "group"; group: string; fromUserId: string | null };

/** The body of a `message` frame without `type` and `sequenceId`, which each connection adds. */
export function messageBody(source: MessageSource, payload: Payload): string {
  const head =
    source.from === "server"
      ? `"from":"server"`
      : `"from":"group","group":${JSON.stringify(source.group)},"fromUserId":${JSON.stringify(source.fromUserId)}`;
  return `${head},"dataType":"${payload.dataType}","data":${payload.dataJson}`;
}

export function messageFrame(body: string, sequenceId: number | undefined): string {
  return sequenceId === undefined ? `{"type":"message",${body}}` : `{"type":"message",${body},"sequenceId":${sequenceId}}`;
}

export const frames = {
  connected: (userId: string | null, connectionId: string, reconnectionToken: string | undefined) =>
    JSON.stringify({ type: "system", event: "connected", userId, connectionId, reconnectionToken }),
  disconnected: (message: string) => JSON.stringify({ type: "system", event: "disconnected", message }),
  ack: (ackId: number, error?: AckError) => JSON.stringify(error ? { type: "ack", ackId, success: false, error } : { type: "ack", ackId, success: true }),
  pong: () => `{"type":"pong"}`,
  invokeUnsupported: (invocationId: unknown) =>
    JSON.stringify({
      type: "invokeResponse",
      invocationId,
      success: false,
      error: { name: "NotSupported", message: "The embedded hub does not support invocations; use sendEvent." },
    }),
};

/** Documented names: Forbidden, InternalServerError, Duplicate; BadRequest as the emulator uses it. */
export interface AckError {
  name: "Forbidden" | "InternalServerError" | "Duplicate" | "BadRequest";
  message: string;
}

const ZAckId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();
const ZGroup = z
  .string()
  .min(1)
  .max(1024)
  .refine((group) => group.trim().length > 0, "group must not be blank");
const ZDataType = z.enum(["json", "text", "binary"]).default("json");

export const ZClientRequest = z.discriminatedUnion("type", [
  z.object({ type: z.literal("joinGroup"), group: ZGroup, ackId: ZAckId }),
  z.object({ type: z.literal("leaveGroup"), group: ZGroup, ackId: ZAckId }),
  z.object({ type: z.literal("sendToGroup"), group: ZGroup, ackId: ZAckId, dataType: ZDataType, data: z.unknown(), noEcho: z.boolean().default(false) }),
  z.object({
    type: z.literal("event"),
    // The name travels in the ce-type/ce-eventName headers, so printable ASCII only.
    event: z.string().regex(/^[\x21-\x7e]{1,128}$/, "event must be 1-128 printable ASCII characters"),
    ackId: ZAckId,
    dataType: ZDataType,
    data: z.unknown(),
  }),
]);
export type ClientRequest = z.infer<typeof ZClientRequest>;

export const ZSequenceAck = z.object({ type: z.literal("sequenceAck"), sequenceId: z.number().int().min(0) });
