import { Alert } from "@/app/_components/alert";

export const BYO_NOT_IN_PLAN =
  "Bring-your-own hosts are not included in this workspace's plan. Managed compute works for every workspace.";

export function ByoPlanNote() {
  return <Alert tone="info">{BYO_NOT_IN_PLAN}</Alert>;
}
