"use client";

import { useState } from "react";
import { button } from "@/app/_lib/ui";

export function MicrosoftSignInButton({ callbackUrl }: { callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void import("next-auth/react").then(({ signIn }) => signIn("azure-ad", { callbackUrl }));
      }}
      className={button("secondary", "lg")}
    >
      <svg aria-hidden="true" viewBox="0 0 21 21" className="h-4 w-4">
        <rect x="1" y="1" width="9" height="9" fill="#f25022" />
        <rect x="11" y="1" width="9" height="9" fill="#7fba00" />
        <rect x="1" y="11" width="9" height="9" fill="#00a4ef" />
        <rect x="11" y="11" width="9" height="9" fill="#ffb900" />
      </svg>
      {pending ? "Redirecting to Microsoft…" : "Sign in with Microsoft"}
    </button>
  );
}
