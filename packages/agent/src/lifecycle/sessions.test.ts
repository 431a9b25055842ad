import { strict as assert } from "node:assert";
import { SessionRegistry } from "./sessions.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("SessionRegistry", () => {
  it("goes idle one timeout after start when nobody connects", async () => {
    let idleAt = 0;
    const start = Date.now();
    const registry = new SessionRegistry(150, () => (idleAt = Date.now()));
    await sleep(300);
    assert.ok(idleAt - start >= 140 && idleAt - start < 280, `idle after ${idleAt - start} ms`);
    registry.closeAll("test");
  });

  it("stays up while sessions ping, and goes idle one timeout after the last one closes", async () => {
    let idle = false;
    const registry = new SessionRegistry(150, () => (idle = true));
    const session = registry.open();
    for (let i = 0; i < 5; i++) {
      await sleep(60);
      session.touch();
    }
    assert.equal(idle, false);
    const closedAt = Date.now();
    let idleAt = 0;
    registry.close(session.id, "test");
    while (!idle && Date.now() - closedAt < 1000) {
      await sleep(10);
      idleAt = Date.now();
    }
    assert.ok(idle && idleAt - closedAt >= 140, `idle after ${idleAt - closedAt} ms`);
  });

  it("drops a silent session after the timeout and goes idle at once (the client was gone a timeout ago)", async () => {
    const events: string[] = [];
    const registry = new SessionRegistry(
      120,
      () => events.push("idle"),
      (_session, reason) => events.push(reason),
    );
    const session = registry.open();
    let cleaned = false;
    session.onClose(() => (cleaned = true));
    await sleep(200);
    assert.deepEqual(events, ["no ping within the communication timeout", "idle"]);
    assert.equal(cleaned, true);
    assert.equal(registry.size, 0);
  });
});
