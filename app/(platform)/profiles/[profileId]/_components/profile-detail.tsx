"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ZProfileId } from "@/prisma-free-schema/ids";
import { hasScope } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";
import { errorCode } from "@/app/_lib/trpc-error";
import { BackLink } from "../../../_components/back-link";
import { useWorkspace } from "../../../_components/workspace-context";
import { ProfileForm } from "../../_components/profile-form";
import { ProfileMissing } from "../../_components/profile-missing";
import { DeleteProfileSection } from "./delete-profile-section";
import { ResolutionPanel } from "./resolution-panel";
import { StartRunSection } from "./start-run-section";

export function ProfileDetail({ profileId }: { profileId: string }) {
  const workspace = useWorkspace();
  // An id that cannot be a profile's is answered like a deleted one, without asking the server.
  if (!ZProfileId.safeParse(profileId).success) return <ProfileMissing />;
  return (
    <ProfileDetailLoaded
      workspaceId={workspace.id}
      profileId={profileId}
      canManage={hasScope(workspace.scopes, "profiles.manage")}
      canStartRuns={hasScope(workspace.scopes, "runs.start")}
    />
  );
}

interface ProfileDetailLoadedProps {
  workspaceId: string;
  profileId: string;
  canManage: boolean;
  canStartRuns: boolean;
}

function ProfileDetailLoaded({ workspaceId, profileId, canManage, canStartRuns }: ProfileDetailLoadedProps) {
  const trpc = useTRPC();
  const query = useQuery(trpc.profiles.get.queryOptions({ workspaceId, profileId }));
  // Remembered by version: the note goes once the profile changes again.
  const [savedEtag, setSavedEtag] = useState<string>();

  if (query.isPending) return <LoadingPanel label="Loading profile…" />;
  if (!query.data) {
    if (errorCode(query.error) === "NOT_FOUND") return <ProfileMissing />;
    return (
      <>
        <BackLink href="/profiles">Back to profiles</BackLink>
        <QueryErrorPanel title="Could not load this profile." error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }

  const profile = query.data;
  return (
    <>
      <BackLink href="/profiles">Back to profiles</BackLink>
      <div className="mb-6">
        <h1 className="break-words text-2xl font-semibold tracking-tight text-slate-900">{profile.name}</h1>
        <p className="mt-1 text-sm text-slate-600">Sandbox profile: what its sandboxes are built from and where they run.</p>
      </div>
      <div className="space-y-6">
        <ResolutionPanel workspaceId={workspaceId} profileId={profile.id} />
        {canStartRuns ? <StartRunSection workspaceId={workspaceId} profileId={profile.id} /> : null}
        {savedEtag === profile.etag ? <Alert tone="success">Changes saved.</Alert> : null}
        {/* Keyed by version, so a reload after a conflict starts the form from the saved profile. */}
        <ProfileForm
          key={profile.etag}
          mode="edit"
          profile={profile}
          readOnly={!canManage}
          onSaved={setSavedEtag}
          onReload={() => void query.refetch()}
          reloading={query.isFetching}
        />
        {canManage ? <DeleteProfileSection profileId={profile.id} name={profile.name} /> : null}
      </div>
    </>
  );
}
