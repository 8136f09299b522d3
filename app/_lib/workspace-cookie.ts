/** Names the workspace a person last picked; the platform layout reads it on every request. */
export const WORKSPACE_COOKIE = "dp_workspace";

export function setWorkspaceCookie(workspaceId: string): void {
  document.cookie = `${WORKSPACE_COOKIE}=${encodeURIComponent(workspaceId)}; path=/; samesite=lax; max-age=31536000`;
}
