import { strict as assert } from "node:assert";
import { agentChains, agentIdsWithChains, meshIn } from "./iptables.js";

describe("agent chains", () => {
  it("are named per agent and fit iptables' 28-character limit", () => {
    const chains = agentChains("0123abcd");
    assert.deepEqual(chains, { prerouting: "MIRRORD_TS_0123abcd_PRE", output: "MIRRORD_TS_0123abcd_OUT" });
    assert.ok(chains.prerouting.length <= 28);
  });

  it("are found in iptables-save output, and nothing else is", () => {
    const save = [
      "*nat",
      ":PREROUTING ACCEPT [0:0]",
      ":MIRRORD_TS_0123abcd_PRE - [0:0]",
      ":MIRRORD_TS_0123abcd_OUT - [0:0]",
      ":MIRRORD_TS_ffff0000_OUT - [0:0]",
      ":MIRRORD_INPUT_123 - [0:0]",
      ":KUBE-SERVICES - [0:0]",
      "-A PREROUTING -j MIRRORD_TS_0123abcd_PRE",
      "COMMIT",
    ].join("\n");
    assert.deepEqual([...agentIdsWithChains(save)].sort(), ["0123abcd", "ffff0000"]);
  });
});

describe("mesh detection", () => {
  it("knows Istio, Linkerd and Kuma by the nat chains their init containers leave, and nothing else", () => {
    assert.equal(meshIn("*nat\n:PREROUTING ACCEPT [0:0]\n:ISTIO_INBOUND - [0:0]\n-A PREROUTING -p tcp -j ISTIO_INBOUND\nCOMMIT\n"), "Istio");
    assert.equal(meshIn("*nat\n:PROXY_INIT_REDIRECT - [0:0]\nCOMMIT\n"), "Linkerd");
    assert.equal(meshIn("*nat\n:KUMA_MESH_INBOUND - [0:0]\nCOMMIT\n"), "Kuma");
    assert.equal(meshIn("*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -m comment --comment ISTIO_INBOUND -j KUBE-SERVICES\nCOMMIT\n"), undefined);
  });
});
