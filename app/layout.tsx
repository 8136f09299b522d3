import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "./_trpc/trpc-provider";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Disco Parrot", template: "%s · Disco Parrot" },
  description: "The control plane for AI-agent sandboxes on managed compute, Kubernetes or Docker.",
  icons: { icon: "/logo.svg" },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
