/**
 * The agent and its tunnel on the real cluster, through core's API (issue 4): both spawn
 * modes reach cluster services by name, read the targeted container's env and files (and only
 * that container's in a two-container pod), steal with an HTTP filter while the pod keeps
 * answering the rest, and leave no agent behind.
 */
import assert from "node:assert/strict";
import { SESSION_LABEL, openCluster, recordingProgress, startAgentSession, type AgentSession, type Cluster } from "@mirrord-ts/core";
import { importAgentImage } from "./agent/agent-image.js";
import { E2E_NAMESPACE, KUBECONFIG_PATH, WORKLOADS, kubectl } from "./cluster/index.js";
import { agentPodsRunning, configFor, ephemeralAgentsRunning, getFromAnotherPod, waitFor } from "./support/agent-helpers.js";

const { echo, tcpUdpEcho, multi } = WORKLOADS;

describe("agent on the real cluster", function () {
  this.timeout(180_000);
  let cluster: Cluster;

  before(async function () {
    this.timeout(600_000);
    await importAgentImage();
    cluster = openCluster({ kubeconfig: KUBECONFIG_PATH, env: {} });
  });

  for (const mode of ["job", "ephemeral"] as const) {
    describe(`${mode} mode`, () => {
      let session: AgentSession;
      before(async () => {
        const config = configFor(`deployment/${echo.name}`, { ephemeral: mode === "ephemeral" });
        session = await startAgentSession({ cluster, config, progress: recordingProgress(), sessionId: `e2e-${mode}` });
      });
      after(async () => {
        await session?.close();
      });

      it("resolves the echo Service by name as the pod does and connects to it", async () => {
        const answer = await session.connection.lookupHost(`${echo.name}.${E2E_NAMESPACE}.svc.cluster.local`, "ADDRESS_FAMILY_IPV4");
        const ip = answer.addresses[0]?.ip;
        assert.ok(ip, `no address: ${JSON.stringify(answer)}`);
        const short = await session.connection.lookupHost(echo.name, "ADDRESS_FAMILY_IPV4");
        assert.equal(short.addresses[0]?.ip, ip, "the pod's search domains apply");
        const stream = await session.connection.connectTcp(ip, echo.servicePort, 10_000);
        const body = await new Promise<string>((resolve, reject) => {
          let text = "";
          stream.on("data", (d: Buffer) => (text += d.toString()));
          stream.on("end", () => resolve(text));
          stream.on("error", reject);
          stream.end("GET /via-agent HTTP/1.1\r\nHost: echo\r\nConnection: close\r\n\r\n");
        });
        assert.match(body, /^HTTP\/1\.1 200/);
        assert.match(body, /via-agent/);
      });

      it("round-trips UDP through the agent", async () => {
        const answer = await session.connection.lookupHost(tcpUdpEcho.name, "ADDRESS_FAMILY_IPV4");
        const udp = await session.connection.udpSocket();
        try {
          const reply = new Promise<string>((resolve) => udp.onMessage((payload) => resolve(payload.toString())));
          udp.send(Buffer.from("ping over udp"), answer.addresses[0]!.ip, tcpUdpEcho.port);
          assert.match(await reply, /ping over udp/);
        } finally {
          udp.close();
        }
      });

      it("reads the target container's env and files", async () => {
        const env = await session.connection.getEnv();
        assert.equal(env[echo.onlyVar[0]], echo.onlyVar[1]);
        const file = await session.connection.readWholeFile(echo.onlyFile);
        assert.match(file.toString(), /only in the echo pod/);
      });

      it("steals requests that carry the header; the pod answers the rest, and everything after", async () => {
        const steal = await session.connection.steal(
          echo.port,
          { onRequest: (request) => ({ status: 200, headers: [{ name: "content-type", value: "text/plain" }], body: Buffer.from(`stolen ${request.path}`), trailers: [] }) },
          { headerRegex: "^x-mirrord: yes$", pathRegex: "" },
        );
        try {
          assert.equal(await getFromAnotherPod("/a", { "x-mirrord": "yes" }), "stolen /a");
          assert.match(await getFromAnotherPod("/b"), /"path":"\/b"/);
        } finally {
          steal.cancel();
        }
        await waitFor("the pod answering again", async () => /"path":"\/c"/.test(await getFromAnotherPod("/c", { "x-mirrord": "yes" })), 15_000);
      });
    });
  }

  // Mocha runs a suite's own tests before its nested suites: these are nested so they run in order, last.
  describe("two-container pod", () => {
    it("in a two-container pod, only the named container's env and files", async () => {
      const session = await startAgentSession({ cluster, config: configFor(`deployment/${multi.name}/container/${multi.app.container}`), progress: recordingProgress(), sessionId: "e2e-multi" });
      try {
        const env = await session.connection.getEnv();
        assert.equal(env[multi.app.onlyVar[0]], multi.app.onlyVar[1]);
        assert.equal(env[multi.sidecar.onlyVar[0]], undefined);
        assert.match((await session.connection.readWholeFile(multi.app.onlyFile)).toString(), /app container/);
        await assert.rejects(session.connection.readWholeFile(multi.sidecar.onlyFile));
      } finally {
        await session.close();
      }
    });

    it("a two-container target without a container is refused with the containers listed", async () => {
      await assert.rejects(
        startAgentSession({ cluster, config: configFor(`deployment/${multi.name}`), progress: recordingProgress(), sessionId: "e2e-ambiguous" }),
        (error: Error) => /2 containers \(app, sidecar\)/.test(error.message),
      );
    });
  });

  describe("agent.resources", () => {
    it("the agent's pod carries the amounts the config gives, the defaults for the rest", async () => {
      const resources = { requests: { cpu: "20m" }, limits: { memory: "300Mi" } };
      const session = await startAgentSession({ cluster, config: configFor(`deployment/${echo.name}`, { resources }), progress: recordingProgress(), sessionId: "e2e-resources" });
      try {
        const pods = await kubectl(["get", "pods", "-A", "-l", `${SESSION_LABEL}=e2e-resources`, "-o", "jsonpath={.items[*].spec.containers[0].resources}"]);
        assert.deepEqual(JSON.parse(pods.stdout), { requests: { cpu: "20m", memory: "16Mi" }, limits: { cpu: "500m", memory: "300Mi" } });
        assert.equal((await session.connection.getEnv())[echo.onlyVar[0]], echo.onlyVar[1], "and the agent serves");
      } finally {
        await session.close();
      }
    });
  });

  describe("after every session", () => {
    it("leaves no agent behind: job deleted at once, ephemeral container exits after communication_timeout", async () => {
      await waitFor("no agent pod running", async () => (await agentPodsRunning()).length === 0, 30_000);
      const pods = await kubectl(["get", "pods", "-n", E2E_NAMESPACE, "-l", `app=${echo.name}`, "-o", "jsonpath={.items[*].metadata.name}"]);
      for (const pod of pods.stdout.split(" ").filter(Boolean)) {
        await waitFor(`ephemeral agents of ${pod} to exit`, async () => (await ephemeralAgentsRunning(pod)).length === 0, 25_000);
      }
    });

  });
});
