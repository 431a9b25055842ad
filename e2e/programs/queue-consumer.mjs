// A local queue consumer for the scale-down suite: reaches the broker through the target's
// QUEUE_BROKER_URL (a cluster name), consumes as "local-consumer", prints each message.
// `node queue-consumer.mjs [yes]`: with yes, exit normally right after the first answer.
// With QUEUE_CONSUMER_READY_DIR, the ready line also goes to ready-<pid> there (a test's signal
// that does not depend on an IDE's console).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
const broker = process.env.QUEUE_BROKER_URL;
if (!broker) {
  console.log("no QUEUE_BROKER_URL in the environment");
  process.exit(3);
}
const exitAfterReady = process.argv[2] === "yes";
let ready = false;
for (;;) {
  try {
    const response = await fetch(`${broker}/consume?consumer=local-consumer`, { signal: AbortSignal.timeout(5000) });
    if (!ready) {
      ready = true;
      console.log(`ready pid=${process.pid} broker=${broker}`);
      if (process.env.QUEUE_CONSUMER_READY_DIR) writeFileSync(join(process.env.QUEUE_CONSUMER_READY_DIR, `ready-${process.pid}`), `ready pid=${process.pid} broker=${broker}\n`);
      if (exitAfterReady) {
        await new Promise((r) => setTimeout(r, 500));
        process.exit(0);
      }
    }
    if (response.status === 200) {
      const m = await response.json();
      console.log(`consumed id=${m.id} body=${m.body}`);
      continue;
    }
  } catch (error) {
    console.log(`broker error: ${error.message}`);
  }
  await new Promise((r) => setTimeout(r, 200));
}
