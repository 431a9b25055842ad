/** What the host looked like before `up`: restored or removed by `down`. */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { FIXED_RUNTIME_PATHS, HOST_BEFORE_FILE } from "../paths.js";
import { readSysctls } from "./sysctls.js";

export interface HostBefore {
  sysctls: Record<string, string>;
  /** Fixed runtime paths that already existed, which `down` therefore leaves alone. */
  existingPaths: string[];
}

export async function captureHostBefore(): Promise<HostBefore> {
  const before: HostBefore = {
    sysctls: await readSysctls(),
    existingPaths: FIXED_RUNTIME_PATHS.filter((p) => existsSync(p)),
  };
  await writeFile(HOST_BEFORE_FILE, JSON.stringify(before, null, 2));
  return before;
}

export async function readHostBefore(): Promise<HostBefore | undefined> {
  if (!existsSync(HOST_BEFORE_FILE)) return undefined;
  return JSON.parse(await readFile(HOST_BEFORE_FILE, "utf8")) as HostBefore;
}
