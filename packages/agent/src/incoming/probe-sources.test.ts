import { strict as assert } from "node:assert";
import { defaultGateways, probeSources } from "./probe-sources.js";

const ROUTES = [
  "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
  "eth0\t00000000\t0100F40A\t0003\t0\t0\t0\t00000000\t0\t0\t0",
  "eth0\t0000F40A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
].join("\n");

describe("probe sources", () => {
  it("finds the default gateway in /proc/net/route", () => {
    assert.deepEqual(defaultGateways(ROUTES), ["10.244.0.1"]);
    assert.deepEqual(defaultGateways(ROUTES.split("\n").slice(0, 1).join("\n")), []);
  });

  it("adds the gateways to the configured exclusions", () => {
    assert.deepEqual(probeSources(["192.168.1.5/32"], ROUTES), ["192.168.1.5/32", "10.244.0.1/32"]);
  });
});
