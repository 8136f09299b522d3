import type { Metadata } from "next";
import { CreateToken } from "./_components/create-token";
import { TokenList } from "./_components/token-list";

export const metadata: Metadata = { title: "API tokens" };

export default function ApiTokensPage() {
  return (
    <div className="space-y-6">
      <CreateToken />
      <TokenList />
    </div>
  );
}
