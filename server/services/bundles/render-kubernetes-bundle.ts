import { Document } from "yaml";
import type { BundleSettings } from "./bundle-settings";
import { installKeyLifetimeLines, platformAddressLines } from "./bundle-comments";
import { BUNDLE_YAML } from "./bundle-yaml";
import { kubernetesOperatorManifests, OPERATOR_NAME } from "./kubernetes-operator-manifests";
import { operatorNamespace } from "./operator-namespace";
import { validateBundleSettings } from "./validate-bundle-settings";

/**
 * The Kubernetes operator bundle: one multi-document manifest and the two commands the host page
 * shows. Each document is emitted by `yaml`, never assembled by hand.
 */
export function renderKubernetesBundle(input: BundleSettings): { filename: string; content: string; commands: string[] } {
  const settings = validateBundleSettings(input, "kubernetes");
  const { host } = settings;
  const namespace = operatorNamespace(host);
  const filename = `discoparrot-operator-${host.name}.yaml`;

  const documents = kubernetesOperatorManifests({ settings, namespace }).map((manifest) => new Document(manifest, BUNDLE_YAML.document));
  const [first] = documents;
  if (first) {
    first.commentBefore = [
      ` Disco Parrot operator for the Kubernetes host "${host.name}" (${host.id}).`,
      ` Installs namespace ${namespace}: two service accounts, a Role for pods, service accounts and the sandboxes'`,
      " identity Secrets (create and patch; no get, list or watch) in that namespace only, a Secret, a ConfigMap and one",
      " operator Deployment. No Service, no Ingress, no ports.",
      ` CONTAINS A SECRET: the Secret below holds this host's install key (fingerprint ${settings.keyFingerprint}).`,
      " Treat this file like a password: do not commit it or paste it into tickets.",
      ...installKeyLifetimeLines(),
      ...platformAddressLines(settings.platformUrl),
      ` Apply with: kubectl apply -f ${filename}`,
    ].join("\n");
  }

  return {
    filename,
    // `directives: true` makes each document open with its own `---`, so they join into one stream.
    content: documents.map((document) => document.toString({ ...BUNDLE_YAML.toString, directives: true })).join(""),
    commands: [`kubectl apply -f ${filename}`, `kubectl rollout status deployment/${OPERATOR_NAME} -n ${namespace} --timeout=120s`],
  };
}
