import { strict as assert } from "node:assert";
import { HttpFilterError, RequestFilter } from "./http-filter.js";
import { classify } from "./sniff.js";

describe("RequestFilter", () => {
  it("matches a header as 'name: value' and the path, both when both are set", () => {
    const filter = RequestFilter.compile({ headerRegex: "^x-user: (alice|bob)$", pathRegex: "^/api/" });
    assert.equal(filter.matches([["x-user", "alice"]], "/api/a"), true);
    assert.equal(filter.matches([["x-user", "carol"]], "/api/a"), false);
    assert.equal(filter.matches([["x-user", "bob"]], "/web"), false);
  });

  it("never matches the kubelet's probes", () => {
    const filter = RequestFilter.compile({ headerRegex: "", pathRegex: "." });
    assert.equal(filter.matches([["user-agent", "kube-probe/1.30"]], "/healthz"), false);
    assert.equal(filter.matches([["user-agent", "curl/8"]], "/healthz"), true);
  });

  it("refuses a regex that does not compile, naming it", () => {
    assert.throws(() => RequestFilter.compile({ headerRegex: "(", pathRegex: "" }), (e: Error) => e instanceof HttpFilterError && /header filter \/\(\//.test(e.message));
  });
});

describe("classify", () => {
  it("tells HTTP/1, HTTP/2 and other protocols apart, asking for more bytes when unsure", () => {
    assert.equal(classify(Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n")), "http1");
    assert.equal(classify(Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0")), "http2");
    assert.equal(classify(Buffer.from("PRI * HT")), "more");
    assert.equal(classify(Buffer.from("GET /lo")), "more");
    assert.equal(classify(Buffer.from("\x16\x03\x01\x02\x00")), "other"); // TLS ClientHello
    assert.equal(classify(Buffer.from("hello\n")), "other");
    assert.equal(classify(Buffer.from("*1\r\n$4\r\nPING\r\n")), "other"); // redis
  });
});
