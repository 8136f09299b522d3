import { NotFoundPanel } from "../../_components/not-found-panel";

export function RunMissing() {
  return <NotFoundPanel title="Run not found" message="This run does not exist, or it belongs to another workspace." backHref="/runs" backLabel="Back to runs" />;
}
