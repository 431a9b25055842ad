import { strict as assert } from "node:assert";
import { PROTOCOL_VERSION, ProtocolVersionMismatchError, checkProtocolVersion, versionMismatchSentence } from "./version.js";
import { agentService } from "./load.js";

describe("protocol version", () => {
  it("accepts equal versions", () => {
    checkProtocolVersion(PROTOCOL_VERSION, PROTOCOL_VERSION);
  });

  it("refuses a mismatch with one sentence naming both versions", () => {
    assert.throws(
      () => checkProtocolVersion("1.0.0", "2.3.0"),
      (error: unknown) => {
        assert.ok(error instanceof ProtocolVersionMismatchError);
        assert.match(error.message, /agent speaks protocol 2\.3\.0/);
        assert.match(error.message, /client speaks protocol 1\.0\.0/);
        assert.equal((error.message.match(/\. [A-Z]/g) ?? []).length, 0, "one sentence");
        return true;
      },
    );
    assert.equal(versionMismatchSentence("a", "b"), new ProtocolVersionMismatchError("a", "b").message);
  });
});

describe("agent service definition", () => {
  it("has every rpc with the streaming shape of the .proto", () => {
    const service = agentService().service;
    const shape = Object.fromEntries(
      Object.entries(service).map(([name, m]) => [name, `${m.requestStream ? "stream" : "unary"}->${m.responseStream ? "stream" : "unary"}`]),
    );
    assert.deepEqual(shape, {
      Session: "stream->stream",
      ConnectTcp: "stream->stream",
      UdpSocket: "stream->stream",
      LookupHost: "unary->unary",
      GetEnv: "unary->unary",
      StatFile: "unary->unary",
      ReadLink: "unary->unary",
      ReadDir: "unary->unary",
      OpenFile: "unary->unary",
      ReadFile: "unary->unary",
      CloseFile: "unary->unary",
      Steal: "stream->stream",
      Mirror: "unary->stream",
      Pause: "unary->unary",
    });
  });

  it("round-trips a oneof message with camelCase fields and numeric uint64", () => {
    const method = agentService().service.Steal;
    const bytes = method.responseSerialize({
      httpRequest: { requestId: 7, connectionId: 3, method: "GET", path: "/x", headers: [{ name: "a", value: "b" }], body: Buffer.from("hi") },
    });
    const decoded = method.responseDeserialize(bytes);
    assert.equal(decoded.message, "httpRequest");
    assert.equal(decoded.httpRequest?.requestId, 7);
    assert.equal(decoded.httpRequest?.body.toString(), "hi");
  });
});
