import { apiErrors } from "./api-errors";

/**
 * Request bodies in Kubernetes' protobuf encoding, which kubectl 1.32's typed clients send
 * (`kubectl auth can-i`, `kubectl create namespace|secret|configmap|serviceaccount|role|rolebinding`)
 * with no fallback to JSON. A body is the 4-byte magic `k8s\0` and a runtime.Unknown envelope
 * (typeMeta = 1, raw = 2) whose raw bytes are the object's generated.proto message. Only the
 * messages those commands send are known here (field numbers from k8s.io/api's generated.proto);
 * any other kind is refused with 415, as a server refuses a media type it cannot decode.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#protobuf-encoding
 */
type FieldType = "string" | "bytes" | "bool" | "int" | MessageSchema | { map: "string" | "bytes" };
type MessageSchema = Record<number, [name: string, type: FieldType, repeated?: "repeated"]>;

const stringMap = { map: "string" } as const;
const OBJECT_META: MessageSchema = { 1: ["name", "string"], 2: ["generateName", "string"], 3: ["namespace", "string"], 11: ["labels", stringMap], 12: ["annotations", stringMap], 14: ["finalizers", "string", "repeated"] };
const POLICY_RULE: MessageSchema = { 1: ["verbs", "string", "repeated"], 2: ["apiGroups", "string", "repeated"], 3: ["resources", "string", "repeated"], 4: ["resourceNames", "string", "repeated"], 5: ["nonResourceURLs", "string", "repeated"] };
const RESOURCE_ATTRIBUTES: MessageSchema = { 1: ["namespace", "string"], 2: ["verb", "string"], 3: ["group", "string"], 4: ["version", "string"], 5: ["resource", "string"], 6: ["subresource", "string"], 7: ["name", "string"] };

/** Kind (as `<apiVersion>/<kind>`) → its message. */
const KNOWN_KINDS: Record<string, MessageSchema> = {
  "authorization.k8s.io/v1/SelfSubjectAccessReview": {
    1: ["metadata", OBJECT_META],
    2: ["spec", { 1: ["resourceAttributes", RESOURCE_ATTRIBUTES], 2: ["nonResourceAttributes", { 1: ["path", "string"], 2: ["verb", "string"] }] }],
  },
  "v1/Namespace": { 1: ["metadata", OBJECT_META] },
  "v1/ConfigMap": { 1: ["metadata", OBJECT_META], 2: ["data", stringMap], 3: ["binaryData", { map: "bytes" }], 4: ["immutable", "bool"] },
  "v1/Secret": { 1: ["metadata", OBJECT_META], 2: ["data", { map: "bytes" }], 3: ["type", "string"], 4: ["stringData", stringMap], 5: ["immutable", "bool"] },
  "v1/ServiceAccount": { 1: ["metadata", OBJECT_META], 4: ["automountServiceAccountToken", "bool"] },
  "rbac.authorization.k8s.io/v1/Role": { 1: ["metadata", OBJECT_META], 2: ["rules", POLICY_RULE, "repeated"] },
  "rbac.authorization.k8s.io/v1/RoleBinding": {
    1: ["metadata", OBJECT_META],
    2: ["subjects", { 1: ["kind", "string"], 2: ["apiGroup", "string"], 3: ["name", "string"], 4: ["namespace", "string"] }, "repeated"],
    3: ["roleRef", { 1: ["apiGroup", "string"], 2: ["kind", "string"], 3: ["name", "string"] }],
  },
};

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** The object a protobuf body holds, as the JSON a client would have sent. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(MAGIC)) throw apiErrors.badRequest("the body of the request was in an unknown format: missing the k8s protobuf prefix");
  const envelope = decodeMessage(body.subarray(4), { 1: ["typeMeta", { 1: ["apiVersion", "string"], 2: ["kind", "string"] }], 2: ["raw", "bytes"] });
  const { apiVersion = "", kind = "" } = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = KNOWN_KINDS[`${apiVersion}/${kind}`];
  if (!schema) throw apiErrors.unsupportedMediaType(["application/json", "application/yaml"]);
  return { apiVersion, kind, ...decodeMessage(Buffer.from(String(envelope.raw ?? ""), "base64"), schema) };
}

function decodeMessage(bytes: Buffer, schema: MessageSchema): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  let offset = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[offset++];
      if (byte === undefined) throw apiErrors.badRequest("the body of the request was in an unknown format: truncated protobuf");
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  while (offset < bytes.length) {
    const key = Number(varint());
    const [fieldNumber, wireType] = [key >>> 3, key & 7];
    let raw: bigint | Buffer;
    if (wireType === 0) raw = varint();
    else if (wireType === 2) {
      const length = Number(varint());
      raw = bytes.subarray(offset, (offset += length));
    } else if (wireType === 1 || wireType === 5) {
      offset += wireType === 1 ? 8 : 4;
      continue;
    } else throw apiErrors.badRequest(`the body of the request was in an unknown format: protobuf wire type ${wireType}`);
    const field = schema[fieldNumber];
    if (!field) continue;
    const [name, type, repeated] = field;
    if (typeof type === "object" && "map" in type) {
      const entry = decodeMessage(raw as Buffer, { 1: ["key", "string"], 2: ["value", type.map] });
      result[name] = { ...(result[name] as object), [String(entry.key ?? "")]: entry.value ?? "" };
      continue;
    }
    const value = scalar(raw, type);
    // Go's generated code writes unset strings as empty; JSON would have left them out.
    if (value === "" && !repeated) continue;
    result[name] = repeated ? [...((result[name] as unknown[]) ?? []), value] : value;
  }
  return result;
}

function scalar(raw: bigint | Buffer, type: FieldType): unknown {
  if (type === "bool") return raw === 1n;
  if (type === "int") return Number(raw);
  if (!Buffer.isBuffer(raw)) throw apiErrors.badRequest("the body of the request was in an unknown format: unexpected protobuf varint");
  if (type === "string") return raw.toString("utf8");
  if (type === "bytes") return raw.toString("base64");
  return decodeMessage(raw, type as MessageSchema);
}
