// Builds the test programs of test-programs/ into a temporary directory.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const execFileP = promisify(execFile);
export const programsDir = fileURLToPath(new URL("../../test-programs/", import.meta.url));

export async function buildGo(program: "go-http" | "go-hello" | "go-connect" | "go-serve", outDir: string, cgo: boolean): Promise<string> {
  const out = join(outDir, `${program}-${cgo ? "cgo" : "static"}`);
  await execFileP("go", ["build", "-o", out, "."], {
    cwd: join(programsDir, program),
    env: { ...process.env, CGO_ENABLED: cgo ? "1" : "0", GOFLAGS: "-mod=mod" },
    timeout: 300_000,
  });
  return out;
}

/** Compiles test-programs/java into outDir; returns the classpath. */
export async function buildJava(outDir: string): Promise<string> {
  await execFileP("javac", ["-d", outDir, join(programsDir, "java", "HttpGet.java"), join(programsDir, "java", "Serve.java")], { timeout: 120_000 });
  return outDir;
}

/** The python3 binary itself (python3 on PATH may be a pyenv shell shim). */
export async function realPython(): Promise<string> {
  const { stdout } = await execFileP("python3", ["-c", "import sys; print(sys.executable)"]);
  return stdout.trim();
}
