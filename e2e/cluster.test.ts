/**
 * Acceptance of the e2e cluster harness (issue 3): a real single-node Kubernetes on this
 * machine, booted once by the root hook in support/cluster-hooks.ts.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type * as k8s from "@kubernetes/client-node";
import {
  E2E_NAMESPACE, IMAGES, KUBERNETES_VERSION, NODE_NAME, WORKLOADS, clusterDown, clusterUp, type DownReport, type UpReport,
} from "./cluster/index.js";
import { clusterLeftovers } from "./cluster/leftovers.js";
import { clusterMemory, diskUse, readLastBuildTimes, writeClusterReport, REPORT_FILE } from "./cluster/metrics.js";
import { sleep, waitFor } from "./cluster/run.js";
import {
  appsApi, coreApi, execInContainer, portForwardRoundTrip, readyPods, scaleDeployment, waitForReadyReplicas,
} from "./support/kube.js";

const ns = E2E_NAMESPACE;
const { echo, multi } = WORKLOADS;

interface EchoReply {
  pod: string;
  container: string;
  method: string;
  path: string;
  headers: Record<string, string[]>;
}

function parseEcho(text: string): EchoReply {
  const json = text.slice(text.indexOf("{"));
  return JSON.parse(json) as EchoReply;
}

async function nodeReady(): Promise<boolean> {
  const node = await coreApi().readNode({ name: NODE_NAME });
  return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

describe(`e2e cluster (Kubernetes ${KUBERNETES_VERSION})`, function () {
  let warmUp: UpReport | undefined;
  let teardown: DownReport | undefined;

  it("has a Ready node, rolls out the echo Deployment, and scales it to 0 and back", async function () {
    this.timeout(240_000);
    assert.equal(await nodeReady(), true, `node ${NODE_NAME} is not Ready`);
    await waitForReadyReplicas(ns, echo.name, 1);
    await scaleDeployment(ns, echo.name, 0);
    await waitFor("every echo pod to be gone", 60_000, async () =>
      (await coreApi().listNamespacedPod({ namespace: ns, labelSelector: `app=${echo.name}` })).items.length === 0 ? true : undefined,
    );
    const scaledDown = await appsApi().readNamespacedDeployment({ name: echo.name, namespace: ns });
    assert.equal(scaledDown.status?.readyReplicas ?? 0, 0);
    await scaleDeployment(ns, echo.name, 1);
    await waitForReadyReplicas(ns, echo.name, 1);
  });

  it("resolves echo.<ns>.svc.cluster.local through CoreDNS from a pod and answers through its ClusterIP", async function () {
    const service = await coreApi().readNamespacedService({ name: echo.name, namespace: ns });
    const clusterIP = service.spec?.clusterIP;
    assert.ok(clusterIP, "the echo Service has no ClusterIP");
    const [client] = await readyPods(ns, multi.name);
    assert.ok(client, "no ready pod of the multi Deployment to run the lookup from");
    const name = `${echo.name}.${ns}.svc.cluster.local`;

    const lookup = await execInContainer(ns, client, multi.app.container, ["nslookup", name]);
    assert.match(lookup.stdout, new RegExp(`Name:\\s+${name.replaceAll(".", "\\.")}\\s+Address:\\s+${clusterIP.replaceAll(".", "\\.")}`));

    // kube-proxy programs a new endpoint shortly after the pod turns Ready (test 1 rescaled echo).
    const fetched = await waitFor("the echo Service to answer from a pod", 20_000, async () => {
      const attempt = await execInContainer(ns, client, multi.app.container, ["wget", "-qO-", `http://${name}/through-cluster-ip`]);
      if (attempt.status !== "Success") throw new Error(attempt.stderr.trim());
      return attempt;
    });
    const reply = parseEcho(fetched.stdout);
    assert.deepEqual(await readyPods(ns, echo.name), [reply.pod]);
    assert.equal(reply.container, echo.container);
    assert.equal(reply.path, "/through-cluster-ip");

    // Names outside the cluster are not forwarded anywhere: CoreDNS has no upstream.
    const outside = await execInContainer(ns, client, multi.app.container, ["nslookup", "example.com"]);
    assert.match(outside.stdout + outside.stderr, /SERVFAIL/);
  });

  it("carries a request and its response over a port-forward through the API server, and execs in a container", async function () {
    const [pod] = await readyPods(ns, echo.name);
    assert.ok(pod, "no ready echo pod");
    const response = await portForwardRoundTrip(
      ns, pod, echo.port,
      "GET /through-port-forward HTTP/1.1\r\nHost: echo\r\nX-Mirrord-Test: port-forward\r\nConnection: close\r\n\r\n",
    );
    assert.match(response, /^HTTP\/1\.1 200 OK/);
    const reply = parseEcho(response);
    assert.equal(reply.pod, pod);
    assert.equal(reply.path, "/through-port-forward");
    assert.deepEqual(reply.headers["X-Mirrord-Test"], ["port-forward"]);

    const [varName, varValue] = echo.onlyVar;
    const exec = await execInContainer(ns, pod, echo.container, ["sh", "-c", `echo "$${varName}"; cat ${echo.onlyFile}`]);
    assert.equal(exec.status, "Success", exec.stderr);
    assert.equal(exec.stdout, `${varValue}\nthis file exists only in the echo pod\n`);

    // The two containers of `multi` each have only their own variable and file.
    const [multiPod] = await readyPods(ns, multi.name);
    assert.ok(multiPod);
    const sidecar = await execInContainer(ns, multiPod, multi.sidecar.container, [
      "sh", "-c", `echo "$${multi.sidecar.onlyVar[0]}|$${multi.app.onlyVar[0]}"; ls /app`,
    ]);
    assert.equal(sidecar.stdout, `${multi.sidecar.onlyVar[1]}|\necho\nonly-in-sidecar.txt\n`);
  });

  it("adds an ephemeral container that shares the pod's network namespace", async function () {
    this.timeout(120_000);
    const name = `ephemeral-target-${randomBytes(3).toString("hex")}`;
    const core = coreApi();
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name, labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{
            name: "echo",
            image: IMAGES.echo,
            imagePullPolicy: "Never",
            env: [{ name: "POD_NAME", value: name }, { name: "CONTAINER_NAME", value: "echo" }],
            readinessProbe: { httpGet: { path: "/healthz", port: echo.port }, periodSeconds: 1 },
          }],
        },
      },
    });
    try {
      await waitFor(`pod ${name} to be ready`, 60_000, async () => ((await readyPods(ns, name)).length === 1 ? true : undefined));
      const pod = await core.readNamespacedPod({ name, namespace: ns });
      const debuggerContainer: k8s.V1EphemeralContainer = {
        name: "debugger",
        image: IMAGES.echo,
        imagePullPolicy: "Never",
        targetContainerName: "echo",
        command: ["sh", "-c", `netstat -ltn; wget -qO- http://127.0.0.1:${echo.port}/from-ephemeral; sleep 3600`],
      };
      pod.spec!.ephemeralContainers = [...(pod.spec!.ephemeralContainers ?? []), debuggerContainer];
      await core.replaceNamespacedPodEphemeralcontainers({ name, namespace: ns, body: pod });
      const logs = await waitFor("the ephemeral container's output", 60_000, async () => {
        const text = await core.readNamespacedPodLog({ name, namespace: ns, container: "debugger" }).catch(() => "");
        return text.includes("}") ? text : undefined;
      });
      assert.match(logs, new RegExp(`:${echo.port}\\s.*LISTEN`), "the ephemeral container does not see the pod's listening port");
      const reply = parseEcho(logs);
      assert.equal(reply.pod, name);
      assert.equal(reply.path, "/from-ephemeral");
    } finally {
      await core.deleteNamespacedPod({ name, namespace: ns, gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  });

  it("goes down leaving nothing behind (ip netns, iptables-save, mount, ps) and comes up again", async function () {
    this.timeout(15 * 60_000);
    teardown = await clusterDown();
    await sleep(500);
    const leftovers = await clusterLeftovers();
    assert.deepEqual(leftovers, { netns: [], iptables: [], mounts: [], processes: [], routes: [], other: [] });

    warmUp = await clusterUp();
    assert.equal(warmUp.booted, true);
    assert.equal(await nodeReady(), true);
    const service = await coreApi().readNamespacedService({ name: echo.name, namespace: ns });
    // Host → ClusterIP goes through kube-proxy's DNAT into the pod network on this machine.
    // kube-proxy may still be programming the new endpoints for a moment after the rollout.
    const reply = await waitFor("the echo Service to answer from the host", 20_000, async () => {
      const response = await fetch(`http://${service.spec!.clusterIP}:${echo.servicePort}/after-reboot`, {
        signal: AbortSignal.timeout(2_000),
      });
      return (await response.json()) as EchoReply;
    });
    assert.equal(reply.path, "/after-reboot");
    assert.deepEqual(await readyPods(ns, echo.name), [reply.pod]);
  });

  it("measures cold build, warm boot, teardown, memory and disk", async function () {
    const report = {
      lastBuildSeconds: await readLastBuildTimes(),
      warmBootSeconds: warmUp?.seconds,
      teardownSeconds: teardown?.seconds,
      memory: await clusterMemory(),
      disk: await diskUse(),
    };
    await writeClusterReport(report);
    console.log(`      cluster report (${REPORT_FILE}):\n${JSON.stringify(report, null, 2).replace(/^/gm, "      ")}`);
    assert.ok(warmUp, "the warm boot did not run");
    assert.ok(warmUp.seconds < 120, `a warm boot took ${warmUp.seconds} s, over the 2-minute budget`);
    assert.ok(report.memory.rssMiB > 100, "no cluster memory measured");
    assert.ok(report.disk.kubernetesBuildMiB > 50, "no Kubernetes build measured on disk");
  });
});
