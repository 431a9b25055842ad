/**
 * The image builder against the real cluster: a dynamic host executable (Node, as the agent
 * image will carry it) with the shared libraries ldd reports runs in a pod.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { E2E_NAMESPACE, buildAndImportImages, executableWithLibraries, imageArchive, type ImageSpec } from "./cluster/index.js";
import { sharedLibrariesOf } from "./cluster/image/ldd.js";
import { waitFor } from "./cluster/run.js";
import { coreApi } from "./support/kube.js";

const nodeImage = async (): Promise<ImageSpec> => ({
  name: "mirrord-ts.local/node-probe:e2e",
  entries: [
    ...(await executableWithLibraries(process.execPath, "/usr/bin/node")),
    { kind: "content", imagePath: "/app/probe.js", content: "console.log(`node ${process.version} says ${process.env.PROBE_WORD}`);\n" },
  ],
  env: { PROBE_WORD: "hello-from-image-env" },
  entrypoint: ["/usr/bin/node", "/app/probe.js"],
});

describe("image builder", function () {
  it("builds byte-identical archives from the same inputs, with the executable's libraries", async function () {
    const spec = await nodeImage();
    const libraries = await sharedLibrariesOf(process.execPath);
    assert.ok(libraries.some((l) => /\/libc\.so\.6$/.test(l)), `ldd found no libc for ${process.execPath}: ${libraries.join(", ")}`);
    for (const library of libraries) {
      assert.ok(spec.entries.some((e) => e.kind === "file" && e.imagePath === library), `${library} is not in the image`);
    }
    const first = await imageArchive(spec);
    const second = await imageArchive(spec);
    assert.equal(first.imageId, second.imageId);
    assert.ok(first.archive.equals(second.archive), "two builds of the same image differ");
  });

  it("runs a dynamic executable copied with its shared libraries in a pod", async function () {
    this.timeout(120_000);
    const spec = await nodeImage();
    await buildAndImportImages([spec]);
    const name = `node-probe-${randomBytes(3).toString("hex")}`;
    const core = coreApi();
    await core.createNamespacedPod({
      namespace: E2E_NAMESPACE,
      body: {
        metadata: { name },
        spec: { restartPolicy: "Never", containers: [{ name: "probe", image: spec.name, imagePullPolicy: "Never" }] },
      },
    });
    try {
      const phase = await waitFor(`pod ${name} to finish`, 60_000, async () => {
        const pod = await core.readNamespacedPod({ name, namespace: E2E_NAMESPACE });
        return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed" ? pod.status.phase : undefined;
      });
      const logs = await core.readNamespacedPodLog({ name, namespace: E2E_NAMESPACE, container: "probe" });
      assert.equal(phase, "Succeeded", `the node probe failed: ${logs}`);
      assert.equal(logs, `node ${process.version} says hello-from-image-env\n`);
    } finally {
      await core.deleteNamespacedPod({ name, namespace: E2E_NAMESPACE, gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  });
});
