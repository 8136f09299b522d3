"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { hasScope } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { InfiniteList } from "../../_components/infinite-list";
import { ListCard } from "../../_components/list-card";
import { EmptyListMessage } from "../../_components/query-state";
import { useWorkspace } from "../../_components/workspace-context";
import { profilesListInput } from "./profile-queries";
import { ProfilesTable } from "./profiles-table";
import { useAllHosts } from "./use-all-hosts";

export function ProfilesList() {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const canSeeHosts = hasScope(workspace.scopes, "hosts.read");
  const hosts = useAllHosts(workspace.id, canSeeHosts);
  const query = useInfiniteQuery(
    trpc.profiles.list.infiniteQueryOptions(profilesListInput(workspace.id), { getNextPageParam: (page) => page.cursor }),
  );

  return (
    <ListCard headingId="profiles-heading" title="Profiles" description="Every launch starts from a profile and lands where the profile says.">
      <InfiniteList
        query={query}
        messages={{ loading: "Loading profiles…", failed: "Could not load profiles.", failedMore: "Could not load more profiles." }}
        empty={<EmptyListMessage title="No profiles yet.">A profile names the image a sandbox starts from, its size and where it runs.</EmptyListMessage>}
      >
        {(profiles) => <ProfilesTable workspaceId={workspace.id} profiles={profiles} hosts={canSeeHosts ? hosts : undefined} />}
      </InfiniteList>
    </ListCard>
  );
}
