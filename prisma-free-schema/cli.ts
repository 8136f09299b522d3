import { z } from "zod";
import { API_TOKEN_PREFIX } from "./api-token";

/**
 * What the `parrot` CLI takes from outside before it reaches the platform: the platform's address
 * and a token (typed at `parrot login`, read back from the config file or the environment), and
 * the names people give for hosts, profiles and runs. Messages are one sentence, for a terminal.
 */
export const ZPlatformUrl = z
  .string()
  .trim()
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "http:" || url.protocol === "https:") && !url.username && !url.password;
      } catch {
        return false;
      }
    },
    { message: "The platform URL must be an http:// or https:// address without credentials, e.g. https://parrot.example.com" },
  )
  .transform((value) => new URL(value).origin);

/** An API token's bearer value; only its shape is checked here, the platform decides whether it is good. */
export const ZBearerToken = z
  .string()
  .trim()
  .regex(new RegExp(`^${API_TOKEN_PREFIX}tok_[a-z0-9]{20}_[A-Za-z0-9_-]{43}$`), {
    message: `That is not an API token: tokens start with ${API_TOKEN_PREFIX} and are made on the platform's Settings page or with \`parrot tokens create\``,
  });

/** The config file `parrot login` writes (mode 0600). */
export const ZCliConfig = z.object({ url: ZPlatformUrl, token: ZBearerToken });
export type TCliConfig = z.infer<typeof ZCliConfig>;

/** A host, profile or run as a person names it: its id, or its name where it has one. */
export const ZItemName = z
  .string()
  .trim()
  .min(1, { message: "Name the item by its id or its name" })
  .max(200, { message: "Names and ids are at most 200 characters" });
