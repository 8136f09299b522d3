import { describe, expect, it } from "vitest";
import { readOperatorSettings } from "./read-operator-settings";

const KEY = "opk_FAKEfake0123456789abcdef";
const ENV = {
  DISCOPARROT_INSTALL_KEY: KEY,
  DISCOPARROT_PLATFORM_URL: "https://parrot.example.com",
  DISCOPARROT_HOST_ID: "host_zyxwvutsrqpnmkjihgfe",
  DISCOPARROT_HOST_NAME: "dev-laptop",
  DISCOPARROT_WORKSPACE_ID: "ws_abcdefghijkmnpqrstuv",
};

describe("readOperatorSettings", () => {
  it("reads the five settings", () => {
    expect(readOperatorSettings(ENV)).toEqual({
      ok: true,
      settings: { installKey: KEY, platformUrl: "https://parrot.example.com", hostId: "host_zyxwvutsrqpnmkjihgfe", hostName: "dev-laptop", workspaceId: "ws_abcdefghijkmnpqrstuv" },
    });
  });

  it("names every missing setting", () => {
    expect(readOperatorSettings({ ...ENV, DISCOPARROT_HOST_ID: "", DISCOPARROT_WORKSPACE_ID: undefined })).toEqual({
      ok: false,
      problem: "DISCOPARROT_HOST_ID, DISCOPARROT_WORKSPACE_ID are not set",
    });
  });

  it("names the invalid setting and says what it should be", () => {
    expect(readOperatorSettings({ ...ENV, DISCOPARROT_HOST_ID: "dev-laptop" })).toEqual({ ok: false, problem: "DISCOPARROT_HOST_ID: Must be a host_… id" });
  });

  it("describes a bad key by its length, never its value", () => {
    const result = readOperatorSettings({ ...ENV, DISCOPARROT_INSTALL_KEY: "opk_sh0rt" });
    expect(result).toEqual({ ok: false, problem: "DISCOPARROT_INSTALL_KEY: must be the opk_… install key from the bundle (got 9 characters)" });
  });
});
