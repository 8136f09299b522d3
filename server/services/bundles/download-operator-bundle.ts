import type { TOperatorBundle } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import { hostStore } from "../../store/host-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";
import { assertByoEntitled } from "../hosts/byo-entitlement";
import { mintInstallKey } from "../keys/install-key";
import { renderOperatorBundle } from "./render-operator-bundle";

export const CHANNEL_OFF_MESSAGE =
  "Turn on the bring-your-own channel in Settings → General before downloading an operator bundle: until it is on, no operator can connect.";

export interface DownloadOperatorBundleOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  hostId: string;
  /** Where the operator exchanges its key: PUBLIC_URL, else the address the admin reached us at. */
  platformUrl: string;
  operatorImage: string;
  /** Ends the connection of an operator still holding the retired key. */
  disconnectOperator?: (hostId: string, reason: string) => Promise<void>;
}

/**
 * Issues a host's operator bundle (seed: set up a BYO host). Every download mints a fresh install
 * key and stores only its hash, which retires the previous key at once; the key leaves the
 * platform inside the bundle and nowhere else (the audit row carries its fingerprint). Held back
 * until the workspace's bring-your-own channel is on, rather than handing out a bundle that
 * cannot connect.
 */
export async function downloadOperatorBundle(options: DownloadOperatorBundleOptions): Promise<TOperatorBundle> {
  const { store, actor, access, hostId } = options;
  const hosts = hostStore(store);
  const found = await hosts.get(access.workspace.id, hostId);
  if (!found) throw notFound("Host");
  assertByoEntitled(access.workspace);
  if (!access.workspace.byoChannelConfigured) throw new AppError("PRECONDITION_FAILED", CHANNEL_OFF_MESSAGE);

  const minted = mintInstallKey();
  // Rendered before anything is stored: a bundle that cannot be rendered must not retire the working key.
  const bundle = renderOperatorBundle({
    host: found,
    platformUrl: options.platformUrl,
    installKey: minted.key,
    keyFingerprint: minted.fingerprint,
    operatorImage: options.operatorImage,
  });

  // updatedAt is the revision an admin's edits are checked against; a new key is not such an
  // edit, so it stays, and the host page's edit form is not told someone else changed the host.
  const before = await auditedChange(
    store,
    {
      workspaceId: found.workspaceId,
      eventType: "host.operator_bundle",
      actor: auditActorOf(actor),
      target: { kind: "host", id: found.id, label: found.name },
      data: { kind: found.kind, fingerprint: minted.fingerprint, previousFingerprint: found.installKeyFingerprint },
    },
    { container: "hosts", partitionKey: found.workspaceId, id: found.id, landed: { field: "installKeyHash", equals: minted.hash } },
    async () => {
      const swapped = await hosts.update(found.workspaceId, found.id, (host) => ({
        ...host,
        installKeyHash: minted.hash,
        installKeyFingerprint: minted.fingerprint,
      }));
      if (!swapped) throw notFound("Host");
      return swapped.before;
    },
  );
  if (before.installKeyHash) await options.disconnectOperator?.(found.id, "Its install key was retired by a new operator bundle.");
  return bundle;
}
