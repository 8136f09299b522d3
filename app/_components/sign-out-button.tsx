"use client";

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
        // Loaded on the click: next-auth's browser code is not needed to show any page.
        void import("next-auth/react").then(({ signOut }) => signOut({ callbackUrl: "/signin" }));
      }}
      className={className}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
