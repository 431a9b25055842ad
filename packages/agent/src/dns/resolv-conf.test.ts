import { strict as assert } from "node:assert";
import { lookupHostsFile } from "./hosts.js";
import { candidateNames, parseResolvConf } from "./resolv-conf.js";

describe("resolv.conf", () => {
  const kube = parseResolvConf(
    "# kubelet\nnameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5 timeout:2 attempts:3\n",
  );

  it("parses nameservers, search list and options", () => {
    assert.deepEqual(kube, { nameservers: ["10.96.0.10"], search: ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"], ndots: 5, timeoutMs: 2000, attempts: 3 });
    assert.deepEqual(parseResolvConf("").nameservers, ["127.0.0.1"]);
    assert.deepEqual(parseResolvConf("search a b\ndomain c.\n").search, ["c"]);
  });

  it("orders candidates like glibc", () => {
    assert.deepEqual(candidateNames("api", kube), ["api.default.svc.cluster.local", "api.svc.cluster.local", "api.cluster.local", "api"]);
    assert.deepEqual(candidateNames("a.b.c.d.e.f", kube).slice(0, 2), ["a.b.c.d.e.f", "a.b.c.d.e.f.default.svc.cluster.local"]);
    assert.deepEqual(candidateNames("example.com.", kube), ["example.com"]);
    assert.deepEqual(candidateNames("example.com", { search: ["x"], ndots: 1 }), ["example.com", "example.com.x"]);
  });

  it("looks names up in a hosts file", () => {
    const hosts = "127.0.0.1 localhost\n# 10.0.0.1 commented\n10.0.0.2 db db.local # trailing\nfd00::3 db\n";
    assert.deepEqual(lookupHostsFile(hosts, "DB."), ["10.0.0.2", "fd00::3"]);
    assert.deepEqual(lookupHostsFile(hosts, "commented"), []);
  });
});
