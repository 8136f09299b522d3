import { createHash, timingSafeEqual } from "node:crypto";
import { getEnv } from "../env";

/**
 * The platform operator's bearer (PLATFORM_ADMIN_TOKEN), for what no workspace member may do,
 * such as setting a plan. Compared as hashes so the comparison is constant-time whatever the
 * lengths. With the setting unset, nothing matches and the admin API answers 404.
 */
export function isPlatformAdmin(req: Request): boolean {
  const expected = getEnv().platformAdminToken;
  const given = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  if (!expected || !given) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function platformAdminEnabled(): boolean {
  return Boolean(getEnv().platformAdminToken);
}
