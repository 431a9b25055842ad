/** Records how long each cold build took, so the cluster report can show it. */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { BUILD_TIMES_FILE } from "../paths.js";

export type BuildTimes = Record<string, { seconds: number; at: string }>;

export async function readBuildTimes(): Promise<BuildTimes> {
  if (!existsSync(BUILD_TIMES_FILE)) return {};
  return JSON.parse(await readFile(BUILD_TIMES_FILE, "utf8")) as BuildTimes;
}

/** Runs `build` and records its duration under `what`. */
export async function timedBuild<T>(what: string, build: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await build();
  const times = await readBuildTimes();
  times[what] = { seconds: Math.round((Date.now() - started) / 100) / 10, at: new Date().toISOString() };
  await mkdir(path.dirname(BUILD_TIMES_FILE), { recursive: true });
  await writeFile(BUILD_TIMES_FILE, `${JSON.stringify(times, null, 2)}\n`);
  return result;
}
