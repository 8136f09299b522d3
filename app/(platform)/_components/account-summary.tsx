import { SignOutButton } from "@/app/_components/sign-out-button";

export function AccountSummary({ name, email }: { name: string; email: string }) {
  return (
    <div className="flex min-w-0 flex-1 items-center justify-between gap-3 md:flex-initial">
      <div className="min-w-0 text-sm leading-tight md:text-right">
        <p className="truncate font-medium text-slate-900">{name}</p>
        <p className="truncate text-slate-500">{email}</p>
      </div>
      <SignOutButton />
    </div>
  );
}
