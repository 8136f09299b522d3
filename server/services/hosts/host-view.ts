import type { THost, THostView } from "@/prisma-free-schema";
import type { WorkspaceAccess } from "../../auth/workspace-access";

export function toHostView(host: THost & { etag: string }, access: WorkspaceAccess): THostView {
  const { installKeyHash: _hash, ...visible } = host;
  return { ...visible, isMyDefaultDockerHost: access.member.defaultDockerHostId === host.id };
}
