import type { TWorkspace } from "@/prisma-free-schema";
import { AppError } from "../../errors";

export const NOT_ENTITLED_MESSAGE =
  "Bring-your-own hosts are not included in this workspace's plan. Managed compute works without them; ask your platform administrator about the Enterprise plan.";

export function assertByoEntitled(workspace: TWorkspace): void {
  if (!workspace.plan.byoHosts) throw new AppError("FORBIDDEN", NOT_ENTITLED_MESSAGE);
}
