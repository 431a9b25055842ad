import { strict as assert } from "node:assert";
import type { HttpFilter__Output } from "@mirrord-ts/protocol";
import { HttpFilterError, RequestFilter, hasCriteria } from "./http-filter.js";
import { classify } from "./sniff.js";

const filter = (f: Partial<HttpFilter__Output>): HttpFilter__Output => ({ headerRegex: "", pathRegex: "", method: "", allOf: [], anyOf: [], ...f });
const request = (headers: Array<[string, string]>, path = "/", method = "GET") => ({ headers, path, method });

describe("RequestFilter", () => {
  it("matches a header as 'name: value' and the path, both when both are set, ignoring case", () => {
    const f = RequestFilter.compile(filter({ headerRegex: "^x-user: (alice|bob)$", pathRegex: "^/api/" }));
    assert.equal(f.matches(request([["x-user", "Alice"]], "/API/a")), true);
    assert.equal(f.matches(request([["x-user", "carol"]], "/api/a")), false);
    assert.equal(f.matches(request([["x-user", "bob"]], "/web")), false);
  });

  it("matches the path alone or with its query", () => {
    const exact = RequestFilter.compile(filter({ pathRegex: "^/users$" }));
    assert.equal(exact.matches(request([], "/users?page=2")), true);
    const withQuery = RequestFilter.compile(filter({ pathRegex: "page=2" }));
    assert.equal(withQuery.matches(request([], "/users?page=2")), true);
    assert.equal(withQuery.matches(request([], "/users?page=3")), false);
  });

  it("compares the method, and nests all_of / any_of like mirrord", () => {
    const all = RequestFilter.compile(filter({ allOf: [filter({ headerRegex: "^brass-key: a-bazillion$" }), filter({ pathRegex: "path/to/v1" }), filter({ method: "get" })] }));
    assert.equal(all.matches(request([["brass-key", "a-bazillion"]], "/api/path/to/v1", "GET")), true);
    assert.equal(all.matches(request([["brass-key", "a-bazillion"]], "/api/path/to/v1", "POST")), false);
    const any = RequestFilter.compile(filter({ anyOf: [filter({ headerRegex: "^dungeon-key: heavy$" }), filter({ method: "delete" })] }));
    assert.equal(any.matches(request([["dungeon-key", "heavy"]], "/", "GET")), true);
    assert.equal(any.matches(request([], "/", "DELETE")), true);
    assert.equal(any.matches(request([], "/", "GET")), false);
  });

  it("never matches the kubelet's probes", () => {
    const f = RequestFilter.compile(filter({ pathRegex: "." }));
    assert.equal(f.matches(request([["user-agent", "kube-probe/1.30"]], "/healthz")), false);
    assert.equal(f.matches(request([["user-agent", "curl/8"]], "/healthz")), true);
  });

  it("tells an empty filter (steal whole connections) from a real one", () => {
    assert.equal(hasCriteria(null), false);
    assert.equal(hasCriteria(filter({})), false);
    assert.equal(hasCriteria(filter({ anyOf: [filter({})] })), false);
    assert.equal(hasCriteria(filter({ method: "GET" })), true);
  });

  it("refuses a regex that does not compile, naming it", () => {
    assert.throws(() => RequestFilter.compile(filter({ headerRegex: "(" })), (e: Error) => e instanceof HttpFilterError && /header filter \/\(\//.test(e.message));
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
