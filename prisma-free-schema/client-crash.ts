import { z } from "zod";

/**
 * What a browser says when a page crashed while rendering there (no server error, so nothing in
 * the server's log yet): only the page and the error's kind. Never the message or the stack,
 * which could hold whatever the page showed (a token shown once, say) and have no place in a log.
 */
export const ZClientCrashReport = z.strictObject({
  path: z
    .string()
    .max(2000)
    // The path alone: a query or fragment can carry what the page was given (an invite's token).
    .regex(/^\/(?!\/)[^\\\s?#]*$/, { message: "Must be a path on this site, without a query or fragment" }),
  errorName: z
    .string()
    .max(60)
    .regex(/^[A-Za-z_$][\w$]*$/, { message: "Must be an error's name, like TypeError" }),
});
export type TClientCrashReport = z.infer<typeof ZClientCrashReport>;
