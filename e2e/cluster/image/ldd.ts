/** The shared libraries a dynamic executable needs, as `ldd` reports them. */
import { run } from "../run.js";

/** Absolute host paths of the executable's shared libraries and its dynamic loader. */
export async function sharedLibrariesOf(executable: string): Promise<string[]> {
  const output = await run("ldd", [executable]).catch((error: Error) => {
    throw new Error(`Cannot list the shared libraries of ${executable}: ${error.message}`);
  });
  if (/not a dynamic executable|statically linked/.test(output)) return [];
  const libraries: string[] = [];
  for (const line of output.split("\n")) {
    // "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
    const resolved = /=>\s+(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)\s+\(0x/.exec(line)?.[1];
    if (line.includes("=> not found")) throw new Error(`${executable} needs a library the host lacks: ${line.trim()}.`);
    if (resolved) libraries.push(resolved);
  }
  return [...new Set(libraries)];
}
