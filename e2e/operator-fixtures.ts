import { expect, type APIRequestContext } from "@playwright/test";
import { baseURL } from "./fixtures";

export interface BundleFile {
  filename: string;
  content: string;
  mediaType: string;
  holdsKey: boolean;
}
export interface OperatorBundle {
  fingerprint: string;
  files: BundleFile[];
  commands: string[];
}

/** Calls a tRPC procedure as the signed-in person behind `api` (no transformer: plain JSON). */
export async function callProcedure<T = unknown>(api: APIRequestContext, procedure: string, input: unknown, kind: "query" | "mutation" = "mutation"): Promise<T> {
  const url = `${baseURL()}/api/trpc/${procedure}`;
  const response =
    kind === "query"
      ? await api.get(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`)
      : await api.post(url, { data: input, headers: { origin: baseURL() } });
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  expect(response.ok(), `${procedure}: ${body.error?.message ?? response.status()}`).toBe(true);
  return body.result!.data;
}

export function registerHostByApi(api: APIRequestContext, workspaceId: string, host: { name: string; kind: "docker" | "kubernetes" }) {
  return callProcedure<{ id: string; name: string }>(api, "hosts.register", { workspaceId, runtimeFamilies: ["node"], workloadIdentity: false, ...host });
}

export function downloadBundle(api: APIRequestContext, workspaceId: string, hostId: string) {
  return callProcedure<OperatorBundle>(api, "hosts.downloadOperatorBundle", { workspaceId, hostId });
}

/** The install key inside a bundle (the test reads it the way an operator would). */
export function installKeyOf(bundle: OperatorBundle): string {
  const keyFile = bundle.files.find((file) => file.holdsKey);
  const key = keyFile?.content.match(/opk_[A-Za-z0-9_-]+/)?.[0];
  expect(key, "the bundle carries an install key").toBeTruthy();
  return key!;
}
