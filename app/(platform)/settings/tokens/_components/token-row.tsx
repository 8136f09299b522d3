import type { TApiTokenView } from "@/prisma-free-schema";
import { formatDate, formatDateTime } from "@/app/_lib/format";
import { ScopeList } from "../../../_components/scope-list";
import { RevokeTokenButton } from "./revoke-token-button";
import { TokenStatusBadge } from "./token-status-badge";

const cell = "block px-4 py-1 md:table-cell md:py-3 md:align-top";
const mobileLabel = "mr-2 text-xs font-medium uppercase tracking-wide text-slate-400 md:hidden";

export function TokenRow({ token }: { token: TApiTokenView }) {
  return (
    <tr className="block py-3 md:table-row md:py-0">
      <td className={cell}>
        <p className="font-medium text-slate-900">{token.name}</p>
        <p className="font-mono text-xs text-slate-500">{token.preview}</p>
      </td>
      <td className={cell}>
        <ScopeList scopes={token.scopes} />
      </td>
      <td className={cell}>
        <TokenStatusBadge status={token.status} />
      </td>
      <td className={`${cell} whitespace-nowrap text-slate-600`}>
        <span className={mobileLabel}>Created</span>
        <time dateTime={token.createdAt} title={formatDateTime(token.createdAt)}>
          {formatDate(token.createdAt)}
        </time>
      </td>
      <td className={`${cell} whitespace-nowrap text-slate-600`}>
        <span className={mobileLabel}>Expires</span>
        <time dateTime={token.expiresAt} title={formatDateTime(token.expiresAt)}>
          {formatDate(token.expiresAt)}
        </time>
      </td>
      <td className={`${cell} whitespace-nowrap text-slate-600`}>
        <span className={mobileLabel}>Last used</span>
        {token.lastUsedAt ? <time dateTime={token.lastUsedAt}>{formatDateTime(token.lastUsedAt)}</time> : "Never"}
      </td>
      <td className={`${cell} break-all text-slate-600`}>
        <span className={mobileLabel}>Owner</span>
        {token.ownerEmail}
      </td>
      <td className={`${cell} pt-2 md:text-right`}>
        {token.status === "active" ? <RevokeTokenButton tokenId={token.id} tokenName={token.name} /> : null}
      </td>
    </tr>
  );
}
