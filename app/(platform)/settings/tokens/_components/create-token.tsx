"use client";

import { useState } from "react";
import { ui } from "@/app/_lib/ui";
import { CreateTokenForm } from "./create-token-form";
import { NewTokenPanel } from "./new-token-panel";

interface CreatedToken {
  name: string;
  bearer: string;
}

export function CreateToken() {
  // The bearer lives only in this state: once "Done" clears it, nothing can show it again.
  const [created, setCreated] = useState<CreatedToken>();

  return (
    <section aria-labelledby="create-token-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="create-token-heading" className="text-base font-semibold text-slate-900">
        Create an API token
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Tokens let scripts and CI call the Disco Parrot API as you, in this workspace only, with the scopes you pick.
      </p>
      <div className="mt-5">
        {created ? (
          <NewTokenPanel name={created.name} bearer={created.bearer} onDone={() => setCreated(undefined)} />
        ) : (
          <CreateTokenForm onCreated={setCreated} />
        )}
      </div>
    </section>
  );
}
