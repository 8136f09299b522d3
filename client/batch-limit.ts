// The package (packages/client) owns the batch size; the app's pages batch the same way.
export { CLIENT_MAX_BATCH_ITEMS } from "../packages/client/src/batch-limit";
