/**
 * Kubernetes resource quantities (`500m`, `0.5`, `128Mi`, `1G`, `1e9`) as plain numbers, the way
 * the scheduler and the kubelet compare them: CPU in millicores, memory in bytes, both rounded up
 * (a request for a fraction of a unit still takes the whole unit).
 * https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
const SUFFIX_FACTORS: Record<string, number> = {
  "": 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/** The quantity in base units (cores, bytes); throws on text that is not a quantity. */
export function quantityValue(text: string): number {
  const match = QUANTITY.exec(text.trim());
  if (!match) throw new Error(`quantities must match the regular expression '${QUANTITY.source}': ${JSON.stringify(text)}`);
  const [, digits, exponent, suffix = ""] = match;
  return Number(digits) * 10 ** Number(exponent ?? 0) * SUFFIX_FACTORS[suffix]!;
}

export const milliCpuOf = (text: string): number => Math.ceil(Math.round(quantityValue(text) * 1e6) / 1e3);
export const bytesOf = (text: string): number => Math.ceil(quantityValue(text));
