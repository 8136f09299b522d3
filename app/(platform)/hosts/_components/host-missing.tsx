import { NotFoundPanel } from "../../_components/not-found-panel";

export function HostMissing() {
  return <NotFoundPanel title="Host not found" message="This host does not exist or was deleted." backHref="/hosts" backLabel="Back to hosts" />;
}
