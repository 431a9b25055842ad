import { strict as assert } from "node:assert";
import { AgentArgsError, parseAgentArgs } from "./args.js";

describe("parseAgentArgs", () => {
  it("has mirrord's defaults", () => {
    const args = parseAgentArgs([], {});
    assert.equal(args.communicationTimeoutMs, 30_000);
    assert.equal(args.port, 0);
    assert.equal(args.listenHost, "127.0.0.1");
    assert.equal(args.targetPid, undefined);
    assert.equal(args.resolvRoot, "/");
    assert.equal(args.iptables, "iptables");
    assert.deepEqual(args.excludeSources, []);
    assert.equal(args.agentGid, 7148);
    assert.match(args.agentId, /^[0-9a-f]{8}$/);
    assert.equal(args.logLevel, "info");
  });

  it("reads the environment, and flags win over it", () => {
    const env = { MIRRORD_AGENT_COMMUNICATION_TIMEOUT: "7", MIRRORD_AGENT_TARGET_PID: "42", MIRRORD_AGENT_PORT: "61337", MIRRORD_AGENT_NODE_IP: "192.168.1.5" };
    const fromEnv = parseAgentArgs([], env);
    assert.equal(fromEnv.communicationTimeoutMs, 7000);
    assert.equal(fromEnv.targetPid, 42);
    assert.equal(fromEnv.resolvRoot, "/proc/42/root");
    assert.equal(fromEnv.port, 61337);
    assert.deepEqual(fromEnv.excludeSources, ["192.168.1.5/32"]);
    const flags = parseAgentArgs(["--communication-timeout", "0.5", "--port", "1", "--exclude-source", "10.0.0.0/8", "--exclude-source", "fd00::1"], env);
    assert.equal(flags.communicationTimeoutMs, 500);
    assert.equal(flags.port, 1);
    assert.deepEqual(flags.excludeSources, ["10.0.0.0/8", "fd00::1/128", "192.168.1.5/32"]);
  });

  it("names the flag or variable whose value is wrong", () => {
    assert.throws(() => parseAgentArgs(["--port", "70000"], {}), (e: Error) => e instanceof AgentArgsError && /--port must be an integer from 0 to 65535/.test(e.message));
    assert.throws(() => parseAgentArgs([], { MIRRORD_AGENT_TARGET_PID: "abc" }), /MIRRORD_AGENT_TARGET_PID must be an integer/);
    assert.throws(() => parseAgentArgs(["--communication-timeout", "0"], {}), /--communication-timeout must be a number of seconds above 0/);
    assert.throws(() => parseAgentArgs(["--exclude-source", "node"], {}), /excluded source must be an IP address or CIDR, not "node"/);
    assert.throws(() => parseAgentArgs(["--agent-id", "XYZ"], {}), /8 lower-case hex digits/);
    assert.throws(() => parseAgentArgs(["--nope"], {}), AgentArgsError);
  });
});
