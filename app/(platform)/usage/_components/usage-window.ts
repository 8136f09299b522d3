/** The Usage page's window in days; shared with the page's server prefetch so both ask the same query. */
export const USAGE_WINDOW_DAYS = 30;
