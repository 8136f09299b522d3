/**
 * Sign-in refusals with a message of their own (rate limits, accounts without a password) reach
 * the page through next-auth's `?error=` parameter. The page shows such a message only when it
 * carries this prefix and is one of the texts below, so a crafted link cannot put words on it.
 */
export const SIGN_IN_ERROR_PREFIX = "dp:";
