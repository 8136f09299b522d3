import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_SETTINGS, type TProfileView } from "@/prisma-free-schema";
import { registerHost } from "../../testing/hosts-fixtures";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";

/**
 * Issue 15 point 4: an internal tool creates a profile with only a name, and learns the valid
 * templates, images, resource classes and host choices from the API instead of the source.
 */
let store: TestStore;
let team: TestWorkspace;
const ws = () => team.workspace.id;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "dee@team.example");
});
afterAll(() => store.destroy());

function settingsOf(profile: TProfileView) {
  const { name, hostChoice, template, image, tag, resourceClass, runtimeFamilies, workloadIdentity, persistentWorkspace, idle, warmPool } = profile;
  return { name, hostChoice, template, image, tag, resourceClass, runtimeFamilies, workloadIdentity, persistentWorkspace, idle, warmPool };
}

async function refusalOf(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const cause = (error as TRPCError).cause as { issues?: { path: PropertyKey[]; message: string }[]; options?: { field?: string } };
  return { code: (error as TRPCError).code, field: cause.options?.field ?? String(cause.issues?.[0]?.path[0]), message: cause.issues?.[0]?.message ?? (error as TRPCError).message };
}

async function profileNames() {
  return (await team.ownerCaller.profiles.list({ workspaceId: ws(), limit: 200 })).items.map((p) => p.name).sort();
}

describe("creating a profile with only a name", () => {
  it("gives the workspace defaults, the same settings as the workspace's Default profile, audited as any creation", async () => {
    const created = await team.ownerCaller.profiles.create({ workspaceId: ws(), name: "Just a name" });
    expect(settingsOf(created)).toEqual({ ...DEFAULT_PROFILE_SETTINGS, name: "Just a name" });

    const defaultProfile = (await team.ownerCaller.profiles.list({ workspaceId: ws(), limit: 200 })).items.find((p) => p.name === "Default")!;
    expect(settingsOf(created)).toEqual({ ...settingsOf(defaultProfile), name: "Just a name" });
    const options = await team.ownerCaller.profiles.options({ workspaceId: ws() });
    expect(settingsOf(created)).toEqual({ ...options.defaults, name: "Just a name" });

    const { items } = await team.ownerCaller.audit.list({ workspaceId: ws(), limit: 50 });
    const row = items.find((e) => e.target.id === created.id);
    expect(row).toMatchObject({
      eventType: "profile.created",
      actor: { kind: "user", label: "dee@team.example" },
      target: { kind: "profile", label: "Just a name" },
      data: { host: "managed", image: `${DEFAULT_PROFILE_SETTINGS.image}:${DEFAULT_PROFILE_SETTINGS.tag}`, resourceClass: DEFAULT_PROFILE_SETTINGS.resourceClass },
    });
  });

  it("keeps what is given and defaults only the rest", async () => {
    const docker = await registerHost(team.ownerCaller, ws(), { name: "dee-laptop", kind: "docker" });
    const created = await team.ownerCaller.profiles.create({
      workspaceId: ws(),
      name: "Partly mine",
      hostChoice: { kind: "host", hostId: docker.id },
      resourceClass: "large",
      persistentWorkspace: true,
      tag: "v7",
    });
    expect(settingsOf(created)).toEqual({
      ...DEFAULT_PROFILE_SETTINGS,
      name: "Partly mine",
      hostChoice: { kind: "host", hostId: docker.id },
      resourceClass: "large",
      persistentWorkspace: true,
      tag: "v7",
    });
  });

  it("refuses an unknown template with BAD_REQUEST naming the valid ones, and writes nothing", async () => {
    const before = await profileNames();
    const { code, field, message } = await refusalOf(team.ownerCaller.profiles.create({ workspaceId: ws(), name: "Pythonic", template: "python" as "shell" }));
    expect(code).toBe("BAD_REQUEST");
    expect(field).toBe("template");
    const { templates } = await team.ownerCaller.profiles.options({ workspaceId: ws() });
    for (const template of templates) expect(message).toContain(template.id);
    expect(await profileNames()).toEqual(before);
  });

  it("still refuses a missing name", async () => {
    const { code, field } = await refusalOf(team.ownerCaller.profiles.create({ workspaceId: ws() } as { workspaceId: string; name: string }));
    expect(code).toBe("BAD_REQUEST");
    expect(field).toBe("name");
  });
});

describe("profiles.options", () => {
  it("lists exactly the templates and resource classes create accepts", async () => {
    const options = await team.ownerCaller.profiles.options({ workspaceId: ws() });
    expect(options.templates.length).toBeGreaterThan(0);
    for (const template of options.templates) {
      // Each template on its own: its image and tag are filled in from it.
      const created = await team.ownerCaller.profiles.create({ workspaceId: ws(), name: `Template ${template.id}`, template: template.id });
      expect(created).toMatchObject({ template: template.id, image: template.image, tag: template.tag });
    }
    for (const size of options.resourceClasses) {
      await expect(team.ownerCaller.profiles.create({ workspaceId: ws(), name: `Size ${size.id}`, resourceClass: size.id })).resolves.toMatchObject({ resourceClass: size.id });
    }
    const listedTemplates = new Set(options.templates.map((t) => t.id as string));
    const unlisted = ["python", "Shell", "shell ", ""].filter((id) => !listedTemplates.has(id));
    for (const id of unlisted) {
      expect((await refusalOf(team.ownerCaller.profiles.create({ workspaceId: ws(), name: "Unlisted", template: id as "shell" }))).field).toBe("template");
    }
    const listedSizes = new Set(options.resourceClasses.map((r) => r.id as string));
    expect(listedSizes.has("huge")).toBe(false);
    expect((await refusalOf(team.ownerCaller.profiles.create({ workspaceId: ws(), name: "Unlisted", resourceClass: "huge" as "small" }))).field).toBe("resourceClass");

    const image = new RegExp(options.image.pattern);
    expect(image.test("registry.example.com/team/sandbox")).toBe(true);
    await expect(team.ownerCaller.profiles.create({ workspaceId: ws(), name: "Own image", image: "registry.example.com/team/sandbox" })).resolves.toMatchObject({ image: "registry.example.com/team/sandbox" });
    expect(image.test("Not An Image")).toBe(false);
    expect((await refusalOf(team.ownerCaller.profiles.create({ workspaceId: ws(), name: "Bad image", image: "Not An Image" }))).field).toBe("image");
  });

  it("says what each host choice accepts, as create enforces it", async () => {
    const { hostChoices } = await team.ownerCaller.profiles.options({ workspaceId: ws() });
    const k8s = await registerHost(team.ownerCaller, ws(), { name: "wi-aks", workloadIdentity: true });
    const docker = await registerHost(team.ownerCaller, ws(), { name: "dee-box", kind: "docker" });
    const choiceFor = (kind: string, hostKind: string | null) =>
      kind === "managed" ? { kind: "managed" as const } : kind === "default-docker" ? { kind: "default-docker" as const } : { kind: "host" as const, hostId: hostKind === "docker" ? docker.id : k8s.id };
    const identity = { clientId: "5f1f0c2e-8d2a-4c57-9a8e-1d2c3b4a5f60", tenantId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" };
    expect(hostChoices.map((c) => `${c.kind}/${c.hostKind}`).sort()).toEqual(["default-docker/null", "host/docker", "host/kubernetes", "managed/null"]);
    let n = 0;
    for (const choice of hostChoices) {
      const hostChoice = choiceFor(choice.kind, choice.hostKind);
      for (const [setting, value] of [
        ["persistentWorkspace", { persistentWorkspace: true }],
        ["workloadIdentity", { workloadIdentity: identity }],
        ["warmPool", { warmPool: 1 }],
      ] as const) {
        const call = team.ownerCaller.profiles.create({ workspaceId: ws(), name: `Choice ${(n += 1)}`, hostChoice, ...value });
        if (choice.accepts[setting]) await expect(call, `${choice.label} accepts ${setting}`).resolves.toBeDefined();
        else expect((await refusalOf(call)).field, `${choice.label} refuses ${setting}`).toBe(setting);
      }
    }
  });

  it("is open to every member, and to nobody outside the workspace", async () => {
    const runner = callerAs(store, await addSignedInMember(store, ws(), team.owner, "runner@team.example", ["runs.start"]));
    await expect(runner.profiles.options({ workspaceId: ws() })).resolves.toHaveProperty("templates");

    const rival = await workspaceWithOwner(store, "rae@rival.example");
    await expect(rival.ownerCaller.profiles.options({ workspaceId: ws() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerAs(store, undefined).profiles.options({ workspaceId: ws() })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
