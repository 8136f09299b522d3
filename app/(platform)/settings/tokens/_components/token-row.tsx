import { LocalTime } from "@/app/_components/local-time";
import type { TApiTokenView } from "@/prisma-free-schema";
import { ScopeList } from "../../../_components/scope-list";
import { RevokeTokenButton } from "./revoke-token-button";
import { TokenFact } from "./token-fact";
import { TokenStatusBadge } from "./token-status-badge";

export function TokenRow({ token }: { token: TApiTokenView }) {
  return (
    <li className="px-5 py-4 sm:px-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="font-medium text-slate-900">{token.name}</h3>
            <TokenStatusBadge status={token.status} />
          </div>
          <p className="mt-0.5 font-mono text-xs text-slate-500">{token.preview}</p>
        </div>
        {token.status === "active" ? <RevokeTokenButton tokenId={token.id} tokenName={token.name} /> : null}
      </div>
      <div className="mt-3">
        <ScopeList scopes={token.scopes} />
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-3 lg:grid-cols-4">
        <TokenFact term="Created">
          <LocalTime iso={token.createdAt} format="date" />
        </TokenFact>
        <TokenFact term="Expires">
          <LocalTime iso={token.expiresAt} format="date" />
        </TokenFact>
        <TokenFact term="Last used">
          {token.lastUsedAt ? <LocalTime iso={token.lastUsedAt} /> : "Never"}
        </TokenFact>
        <TokenFact term="Owner">
          <span title={token.ownerEmail}>{token.ownerEmail}</span>
        </TokenFact>
      </dl>
    </li>
  );
}
