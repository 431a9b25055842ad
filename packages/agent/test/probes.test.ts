import { strict as assert } from "node:assert";
import { AgentConnection } from "@mirrord-ts/agent-client";
import { startAgent } from "./agent-process.js";
import { http1 } from "./http-clients.js";
import { TestNetns, waitFor } from "./netns.js";

const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

describe("agent in a network namespace: the kubelet's probes are never stolen", function () {
  this.timeout(60_000);
  let ns: TestNetns;
  let client: AgentConnection | undefined;

  before(() => {
    ns = TestNetns.create(17);
  });

  after(() => {
    client?.close();
    ns?.destroy();
  });

  it("leaves traffic from the node's address and from the pod's default gateway to the app", async () => {
    // A bridge-CNI pod: the default route goes via the host side, whose address the node's
    // own traffic (the kubelet's probes) comes from.
    ns.exec("ip", ["route", "add", "default", "via", ns.hostIp]);
    const peerIp = `10.213.${ns.index}.4`;
    ns.addHostAddress(peerIp);
    const app = ns.spawn(process.execPath, [fixture("http-app.mjs"), "80"]);
    await waitFor("the app", () => app.output().includes("listening"));
    // The node's address comes as the Downward API would give it (status.hostIP).
    const agent = await startAgent(ns, ["--communication-timeout", "5"], { env: { MIRRORD_AGENT_NODE_IP: ns.nodeIp } });
    assert.match(agent.output(), new RegExp(`never redirected: ${ns.nodeIp}/32, ${ns.hostIp}/32`));
    client = await AgentConnection.connect(agent.address, {});
    await client.steal(80, {
      onConnection: (c) =>
        c.onData(() => {
          c.write(Buffer.from("HTTP/1.1 200 OK\r\ncontent-length: 6\r\nconnection: close\r\n\r\nstolen"));
          c.end();
        }),
    });
    assert.equal((await http1(`http://${ns.podIp}/p`, { localAddress: peerIp })).body, "stolen");
    assert.equal((await http1(`http://${ns.podIp}/healthz`, { localAddress: ns.hostIp })).body, "app GET /healthz ");
    assert.equal((await http1(`http://${ns.podIp}/readyz`, { localAddress: ns.nodeIp })).body, "app GET /readyz ");
  });
});
