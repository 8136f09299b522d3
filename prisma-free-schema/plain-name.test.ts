import { describe, expect, it } from "vitest";
import { ZApiTokenName } from "./api-token";
import { ZHostName } from "./host";
import { isPlainName, NAME_CHARACTERS_MESSAGE, withoutUnsafeNameCharacters } from "./plain-name";
import { ZProfileName } from "./profile";
import { ZPersonName } from "./user";
import { ZWorkspaceName } from "./workspace";

/** Each character a name must refuse, by what it is. */
const UNSAFE: Record<string, string> = {
  NUL: "\u0000",
  "line feed": "\n",
  "carriage return": "\r",
  tab: "\t",
  escape: "\u001b",
  DEL: "\u007f",
  "C1 next line": "\u0085",
  "line separator": "\u2028",
  "paragraph separator": "\u2029",
  "Arabic letter mark": "\u061c",
  "left-to-right mark": "\u200e",
  "right-to-left mark": "\u200f",
  "LTR embedding": "\u202a",
  "RTL embedding": "\u202b",
  "pop directional formatting": "\u202c",
  "LTR override": "\u202d",
  "RTL override": "\u202e",
  "LTR isolate": "\u2066",
  "RTL isolate": "\u2067",
  "first strong isolate": "\u2068",
  "pop directional isolate": "\u2069",
};

const NAME_SCHEMAS = { workspace: ZWorkspaceName, person: ZPersonName, profile: ZProfileName, "API token": ZApiTokenName, host: ZHostName };

describe("names refuse control characters and text-direction marks", () => {
  for (const [schemaName, schema] of Object.entries(NAME_SCHEMAS)) {
    it(`${schemaName} names refuse each one, with the field message`, () => {
      for (const [what, char] of Object.entries(UNSAFE)) {
        const result = schema.safeParse(`ab${char}cd`);
        expect(result.success, `${schemaName} name with ${what}`).toBe(false);
        expect(result.error?.issues.map((issue) => issue.message)).toContain(NAME_CHARACTERS_MESSAGE);
      }
    });
  }

  it("keeps accents, other scripts and emoji (including joined ones)", () => {
    for (const name of ["José Ñúñez", "Zoë's team", "名前の部", "مرحبا بالعالم", "Parrot 🦜", "Family 👨‍👩‍👧"]) {
      expect(isPlainName(name), name).toBe(true);
      expect(ZWorkspaceName.safeParse(name).success, name).toBe(true);
    }
  });

  it("strips them from a name nobody can retype, leaving the rest", () => {
    expect(withoutUnsafeNameCharacters("Mal\u202Eyrolla\u2066x\u2069\n")).toBe("Malyrollax");
  });
});
