import { z } from "zod";
import { ZApiTokenName, ZCreateApiTokenInput } from "./api-token";
import { SCOPES } from "./scopes";
import { ZEmail } from "./user";

/** What the page defaults a new token's expiry to; the command line does the same. */
export const DEFAULT_TOKEN_EXPIRY_DAYS = 30;

/**
 * `npm run tokens -- create …`: the arguments as the command line hands them over (strings), checked
 * with the same rules as the tokens page's form (ZCreateApiTokenInput) before anything is opened.
 */
export const ZTokenCommandArgs = z.object({
  workspace: z
    .string({ message: "Give --workspace: the workspace's id (ws_…) or its name" })
    .trim()
    .min(1, { message: "Give --workspace: the workspace's id (ws_…) or its name" })
    .max(80, { message: "--workspace is an id or a name of at most 60 characters" }),
  owner: z.string({ message: "Give --owner: the email of the person the token acts as" }).pipe(ZEmail),
  name: z.string({ message: "Give --name: a label for the token" }).pipe(ZApiTokenName),
  scopes: z
    .string({ message: "Give --scopes: a comma-separated list such as hosts.read,runs.start" })
    .transform((list) => list.split(",").map((scope) => scope.trim()).filter(Boolean))
    .superRefine((list, context) => {
      const unknown = list.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
      if (unknown.length > 0) context.addIssue({ code: "custom", message: `Unknown scope ${unknown.join(", ")}; the scopes are ${SCOPES.join(", ")}` });
    })
    .pipe(ZCreateApiTokenInput.shape.scopes),
  expiresInDays: z
    .string()
    .optional()
    .transform((days) => (days === undefined ? DEFAULT_TOKEN_EXPIRY_DAYS : Number(days)))
    .pipe(ZCreateApiTokenInput.shape.expiresInDays),
});
export type TTokenCommandArgs = z.infer<typeof ZTokenCommandArgs>;
