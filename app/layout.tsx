import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { RequestIdProvider } from "./_components/request-id-context";
import { ToastProvider } from "./_components/toaster";
import { currentRequestId } from "./_lib/request-id";
import { TRPCReactProvider } from "./_trpc/trpc-provider";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Disco Parrot", template: "%s · Disco Parrot" },
  description: "The control plane for AI-agent sandboxes on managed compute, Kubernetes or Docker.",
  icons: { icon: "/logo.svg" },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, so Next.js can put this request's CSP nonce (proxy.ts) on
  // its scripts; a page prerendered at build time would carry none and its scripts would not run.
  await connection();
  const requestId = await currentRequestId();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <RequestIdProvider value={requestId}>
          <TRPCReactProvider>
            <ToastProvider>{children}</ToastProvider>
          </TRPCReactProvider>
        </RequestIdProvider>
      </body>
    </html>
  );
}
