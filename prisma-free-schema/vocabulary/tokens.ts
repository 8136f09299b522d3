/** The lifetimes, in days, an API token may be given when it is made. */
export const TOKEN_EXPIRY_DAYS = [1, 7, 30, 90, 365] as const;
