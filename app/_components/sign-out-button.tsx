"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { ui } from "@/app/_lib/ui";

export function SignOutButton({ className = ui.secondaryButton }: { className?: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/signin" });
      }}
      className={className}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
