"use client";

import { useQuery } from "@tanstack/react-query";
import { hasScope } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useWorkspace } from "../../_components/workspace-context";
import { auditNamesInput } from "./audit-queries";
import type { AuditNames } from "./describe-audit-event";

export interface AuditActorOption {
  id: string;
  label: string;
}

/**
 * Today's names for the hosts and profiles rows mention by id, and the workspace's people for the
 * actor filter, each only where the viewer may see them (hosts.read, members.manage): a row
 * whose names are not known still links, as "a host".
 */
export function useAuditNames(): { names: AuditNames; people: AuditActorOption[] } {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const hosts = useQuery({ ...trpc.hosts.list.queryOptions(auditNamesInput(workspace.id)), enabled: hasScope(workspace.scopes, "hosts.read") });
  const profiles = useQuery(trpc.profiles.list.queryOptions(auditNamesInput(workspace.id)));
  const members = useQuery({ ...trpc.members.list.queryOptions({ workspaceId: workspace.id }), enabled: hasScope(workspace.scopes, "members.manage") });
  const hostNames = new Map(hosts.data?.items.map((host) => [host.id, host.name]));
  const profileNames = new Map(profiles.data?.items.map((profile) => [profile.id, profile.name]));
  const people = (members.data ?? []).flatMap((member) => (member.userId ? [{ id: member.userId, label: member.email }] : []));
  return { names: { host: (id) => hostNames.get(id), profile: (id) => profileNames.get(id) }, people };
}
