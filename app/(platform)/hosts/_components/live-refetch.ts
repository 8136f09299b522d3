/**
 * How often host pages ask again. Status comes from the channel's presence events and check-ins,
 * which the browser does not see, so it polls: ~5 s is quick enough to watch an operator come up.
 */
export const LIVE_REFETCH_MS = 5_000;
