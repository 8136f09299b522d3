import { NotFoundPanel } from "../../_components/not-found-panel";

export function ProfileMissing() {
  return <NotFoundPanel title="Profile not found" message="This profile does not exist or was deleted." backHref="/profiles" backLabel="Back to profiles" />;
}
