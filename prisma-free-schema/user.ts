import { z } from "zod";
import { ZTimestamp, ZUserId } from "./ids";
import { plainName } from "./plain-name";

/** Emails are compared case-insensitively everywhere, so they are stored lower-cased. */
export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address" }).max(254));

export const ZPersonName = z
  .string()
  .trim()
  .min(1, { message: "Enter a name" })
  .max(100, { message: "Names are at most 100 characters" })
  .refine(...plainName);

/** A person who has signed in at least once. Id is derived from the email (see user-store). */
export const ZUser = z.object({
  id: ZUserId,
  type: z.literal("user"),
  email: ZEmail,
  name: ZPersonName,
  /** How they signed in last: `local` (embedded development) or `entra`. */
  lastProvider: z.enum(["local", "entra"]),
  createdAt: ZTimestamp,
  lastSignInAt: ZTimestamp,
});
export type TUser = z.infer<typeof ZUser>;
