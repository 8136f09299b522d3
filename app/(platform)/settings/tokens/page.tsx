import type { Metadata } from "next";
import { HydrateClient, prefetch, trpcServer } from "@/app/_trpc/server-prefetch";
import { pageWorkspace } from "../../_lib/platform-session";
import { CreateToken } from "./_components/create-token";
import { TokenList } from "./_components/token-list";
import { PlatformPage } from "../../_components/platform-page";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const workspace = await pageWorkspace();
  if (workspace) await prefetch(trpcServer.apiTokens.list.queryOptions({ workspaceId: workspace.id }));
  return (
    <PlatformPage>
      <HydrateClient>
        <div className="space-y-6">
          <CreateToken />
          <TokenList />
        </div>
      </HydrateClient>
    </PlatformPage>
  );
}
