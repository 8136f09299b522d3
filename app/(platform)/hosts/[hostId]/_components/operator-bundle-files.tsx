"use client";

import { type ReactNode, useEffect, useRef, useState } from "react";
import type { TOperatorBundle, TOperatorBundleFile } from "@/prisma-free-schema";
import { CopyButton } from "@/app/_components/copy-button";
import { button, ui } from "@/app/_lib/ui";

/** A just-issued bundle: a link per file, the commands to run, and the key's fingerprint. Shown once. */
export function OperatorBundleFiles({ bundle, warning }: { bundle: TOperatorBundle; warning?: ReactNode }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const urls = useObjectUrls(bundle.files);
  const commands = bundle.commands.join("\n");

  return (
    <div className="mt-5 rounded-lg border-2 border-brand-500 bg-brand-50 p-4 sm:p-5">
      <h3 ref={headingRef} tabIndex={-1} className="text-base font-semibold text-slate-900 focus:outline-none">
        Operator bundle ready
      </h3>
      <p className="mt-1 text-sm font-medium text-brand-700">
        The install key is inside the bundle only, and this is the only time it is shown. Save the files now: they stay available here until you leave
        this page.
      </p>
      {warning}

      <ul className="mt-3 space-y-2">
        {bundle.files.map((file, index) => (
          <li key={file.filename} className="text-sm">
            {urls[index] ? (
              <a href={urls[index]} download={file.filename} className={`${ui.link} break-all`}>
                Download {file.filename}
              </a>
            ) : (
              <span className="break-all text-slate-500">Preparing {file.filename}…</span>
            )}
            <span className="ml-2 text-slate-600">
              {file.holdsKey ? "Holds the install key: treat it like a password, never commit it." : "No secret inside: safe to review and share."}
            </span>
          </li>
        ))}
      </ul>

      <h4 className="mt-4 text-sm font-semibold text-slate-900">Then run, where you saved the files</h4>
      <div className="mt-2 flex flex-col gap-2 sm:flex-row sm:items-start">
        <pre className="min-w-0 flex-1 overflow-x-auto rounded-md border border-brand-100 bg-white px-3 py-2 font-mono text-xs text-slate-900">
          <code>{commands}</code>
        </pre>
        <CopyButton value={commands} label="Copy commands" className={`${button("secondary", "sm")} self-start`} />
      </div>

      <p className="mt-3 text-sm text-slate-700">
        Key fingerprint <code className="break-all font-mono text-xs">{bundle.fingerprint}</code>: the audit trail records this download under the
        same fingerprint, never the key. The previous key, if there was one, no longer works. The operator exchanges this key for a channel token that lasts
        about an hour, and again before each runs out, until the next bundle downloaded for this host retires it.
      </p>
    </div>
  );
}

/** One Blob URL per file, revoked when the bundle goes (a new download, or leaving the page). */
function useObjectUrls(files: readonly TOperatorBundleFile[]): string[] {
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    const created = files.map((file) => URL.createObjectURL(new Blob([file.content], { type: file.mediaType })));
    setUrls(created);
    return () => created.forEach((url) => URL.revokeObjectURL(url));
  }, [files]);
  return urls;
}
