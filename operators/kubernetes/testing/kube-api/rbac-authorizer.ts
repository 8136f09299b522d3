import { MASTERS_GROUP, type UserInfo } from "./authentication";
import type { KubeObject, ObjectStore } from "./object-store";

/**
 * RBAC as the real authorizer evaluates it (k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac):
 * a request is allowed when some RoleBinding in its namespace, or some ClusterRoleBinding, names the
 * user (or one of their groups, or their service account) and binds a rule that covers the verb,
 * the API group, the resource (with its subresource) and, when the rule lists names, the name.
 * There is no deny; system:masters bypasses it all.
 */
export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
  /** Absent or "" for cluster-scoped requests and all-namespace lists. */
  namespace?: string;
}

interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

export interface Decision {
  allowed: boolean;
  /** Which binding allowed it, in the real authorizer's words. */
  reason: string;
}

/** What the default ClusterRoles give everyone authenticated (system:basic-user). */
const SELF_REVIEWS = new Set(["selfsubjectaccessreviews", "selfsubjectrulesreviews"]);

export function authorize(store: ObjectStore, user: UserInfo, attributes: ResourceAttributes): Decision {
  if (user.groups.includes(MASTERS_GROUP)) return { allowed: true, reason: "" };
  if (attributes.group === "authorization.k8s.io" && SELF_REVIEWS.has(attributes.resource) && attributes.verb === "create") return { allowed: true, reason: "" };

  const bindings: Array<{ binding: KubeObject; scope: string }> = [
    ...(attributes.namespace ? store.list("rbac.authorization.k8s.io/rolebindings", attributes.namespace).map((binding) => ({ binding, scope: "RoleBinding" })) : []),
    ...store.list("rbac.authorization.k8s.io/clusterrolebindings").map((binding) => ({ binding, scope: "ClusterRoleBinding" })),
  ];
  for (const { binding, scope } of bindings) {
    const subject = ((binding.subjects as Subject[] | undefined) ?? []).find((candidate) => subjectMatches(candidate, user, binding.metadata.namespace));
    if (!subject) continue;
    const roleRef = binding.roleRef as { kind: string; name: string };
    const role =
      roleRef.kind === "Role" ? store.get("rbac.authorization.k8s.io/roles", binding.metadata.namespace, roleRef.name) : store.get("rbac.authorization.k8s.io/clusterroles", undefined, roleRef.name);
    if (!((role?.rules as PolicyRule[] | undefined) ?? []).some((rule) => ruleAllows(rule, attributes))) continue;
    const where = binding.metadata.namespace ? `${binding.metadata.name}/${binding.metadata.namespace}` : binding.metadata.name;
    const roleName = roleRef.kind === "Role" ? `${roleRef.name}/${binding.metadata.namespace}` : roleRef.name;
    const who = subject.kind === "ServiceAccount" ? `${subject.name}/${subject.namespace ?? binding.metadata.namespace}` : subject.name;
    return { allowed: true, reason: `RBAC: allowed by ${scope} "${where}" of ${roleRef.kind} "${roleName}" to ${subject.kind} "${who}"` };
  }
  return { allowed: false, reason: "" };
}

/** The message a denied request's 403 carries after "is forbidden: ". */
export function denialMessage(user: UserInfo, attributes: ResourceAttributes): string {
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  const scope = attributes.namespace ? `in the namespace "${attributes.namespace}"` : "at the cluster scope";
  return `User "${user.username}" cannot ${attributes.verb} resource "${resource}" in API group "${attributes.group}" ${scope}`;
}

function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace: string | undefined): boolean {
  if (subject.kind === "ServiceAccount") {
    return user.serviceAccount?.name === subject.name && user.serviceAccount.namespace === (subject.namespace || bindingNamespace);
  }
  if (subject.kind === "User") return user.username === subject.name;
  if (subject.kind === "Group") return user.groups.includes(subject.name);
  return false;
}

function ruleAllows(rule: PolicyRule, attributes: ResourceAttributes): boolean {
  const matches = (values: string[] | undefined, value: string) => (values ?? []).some((candidate) => candidate === "*" || candidate === value);
  if (!matches(rule.verbs, attributes.verb) || !matches(rule.apiGroups, attributes.group)) return false;
  const resources = rule.resources ?? [];
  const wanted = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  // "*/log" covers every resource's log subresource; there is no "pods/*" (rbac's ResourceMatches).
  const resourceOk = resources.some((candidate) => candidate === "*" || candidate === wanted || (attributes.subresource !== undefined && candidate === `*/${attributes.subresource}`));
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (attributes.name !== undefined && names.includes(attributes.name));
}
