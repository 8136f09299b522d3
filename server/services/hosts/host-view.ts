import { dockerSettingsOf, type THost, type THostView } from "@/prisma-free-schema";
import type { WorkspaceAccess } from "../../auth/workspace-access";

export function toHostView(host: THost & { etag: string }, access: WorkspaceAccess): THostView {
  const { installKeyHash: _hash, etag: _etag, ...visible } = host;
  return { ...visible, docker: dockerSettingsOf(host), revision: host.updatedAt, isMyDefaultDockerHost: access.member.defaultDockerHostId === host.id };
}
