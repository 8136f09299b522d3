import { describe, expect, it } from "vitest";
import { signInErrorMessage } from "./sign-in-error-message";

describe("the sign-in page's error line", () => {
  it("says the platform's own refusals as they are", () => {
    expect(signInErrorMessage("dp:Too many failed sign-in attempts for this account. Try again in 14 minutes.")).toBe(
      "Too many failed sign-in attempts for this account. Try again in 14 minutes.",
    );
    expect(signInErrorMessage("CredentialsSignin")).toBe("Wrong email or password.");
  });

  it("never shows words a crafted ?error= link puts there", () => {
    expect(signInErrorMessage("dp:Your account is locked. Call +1 555 0100 to unlock it.")).toBe("Sign-in failed. Try again.");
    expect(signInErrorMessage("dp:Too many failed sign-in attempts for this account. Try again in 14 minutes. Or call us.")).toBe("Sign-in failed. Try again.");
    expect(signInErrorMessage("Visit evil.example to restore access")).toBe("Sign-in failed. Try again.");
  });
});
