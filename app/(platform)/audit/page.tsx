import type { Metadata } from "next";
import { hasScope } from "@/prisma-free-schema";
import { HydrateClient, prefetch, trpcServer } from "@/app/_trpc/server-prefetch";
import { pageWorkspace } from "../_lib/platform-session";
import { PageHeader } from "../_components/page-header";
import { AuditTrail } from "./_components/audit-trail";
import { auditListInput, auditNamesInput } from "./_components/audit-queries";
import { filterFromParams, rangeProblem } from "./_components/audit-url-filter";
import { PlatformPage } from "../_components/platform-page";

export const metadata: Metadata = { title: "Audit" };

type SearchParams = Record<string, string | string[] | undefined>;

/** The trail's first page under the URL's filters, and the names its rows use: what AuditEvents asks first. */
async function prefetchAudit(searchParams: SearchParams): Promise<void> {
  const workspace = await pageWorkspace();
  if (!workspace || !hasScope(workspace.scopes, "audit.read")) return;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(searchParams)) for (const one of [value ?? []].flat()) params.append(name, one);
  const filter = filterFromParams(params);
  const names = auditNamesInput(workspace.id);
  await prefetch(
    ...(rangeProblem(filter) ? [] : [trpcServer.audit.list.infiniteQueryOptions(auditListInput(workspace.id, filter), { getNextPageParam: (page) => page.cursor })]),
    trpcServer.profiles.list.queryOptions(names),
    ...(hasScope(workspace.scopes, "hosts.read") ? [trpcServer.hosts.list.queryOptions(names)] : []),
    ...(hasScope(workspace.scopes, "members.manage") ? [trpcServer.members.list.queryOptions({ workspaceId: workspace.id })] : []),
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await prefetchAudit(await searchParams);
  return (
    <PlatformPage>
      <HydrateClient>
        <PageHeader title="Audit" description="Who changed what in this workspace, newest first." />
        <AuditTrail />
      </HydrateClient>
    </PlatformPage>
  );
}
