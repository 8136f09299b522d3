/**
 * How often run pages ask again. Events stream live, but statuses and turn outcomes live on the
 * run document, which changes without an event the list can see: ~5 s keeps them right.
 */
export const RUN_REFETCH_MS = 5_000;
