package dev.mirrordts.sidecar

import java.io.File
import java.util.concurrent.TimeUnit

/** The real IDE server of packages/core: its bundle (built here if missing) and a Node to run it. */
object RealServer {
    val coreDir: File = File(System.getProperty("mirrord.core.dir") ?: "../../../core").canonicalFile
    val script: File = File(coreDir, "dist/ide-server.js")
    val goldenDir: File = File(coreDir, "src/ide/golden")
    /** Variables that change what the server answers (test-support.ts AMBIENT_VARIABLES); tests start without them. */
    val AMBIENT = listOf("MIRRORD_CONFIG_FILE", "MIRRORD_IMPERSONATED_TARGET", "MIRRORD_TARGET_NAMESPACE", "KUBECONFIG", "MIRRORD_PROGRESS_MODE")
    const val NO_CLUSTER = "/nonexistent/mirrord-jetbrains-test/kubeconfig"

    val node: NodeRuntime by lazy { NodeLocator.locate(System.getenv("MIRRORD_NODE")) }

    /** `node build.mjs` in core when the bundle is missing (pnpm's test script builds it first anyway). */
    fun ensureBuilt() {
        synchronized(this) {
            if (script.isFile && File(coreDir, "build/libmirrord_layer.so").isFile) return
            val p = ProcessBuilder(node.executable.path, "build.mjs").directory(coreDir).inheritIO().start()
            check(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0) { "node build.mjs in $coreDir failed" }
            check(script.isFile) { "node build.mjs did not write $script" }
        }
    }

    fun options(cwd: File, protocolVersion: Int = MirrordProtocol.PROTOCOL_VERSION, extraEnv: Map<String, String?> = emptyMap()): SidecarOptions {
        ensureBuilt()
        val env = AMBIENT.associateWith { null as String? }.toMutableMap()
        env["KUBECONFIG"] = NO_CLUSTER
        env.putAll(extraEnv)
        return SidecarOptions(
            node = node,
            serverScript = script,
            workingDirectory = cwd,
            environment = env,
            clientName = "sidecar-client-test",
            protocolVersion = protocolVersion,
            requestTimeoutMs = 30_000,
            shutdownTimeoutMs = 5_000,
        )
    }
}
