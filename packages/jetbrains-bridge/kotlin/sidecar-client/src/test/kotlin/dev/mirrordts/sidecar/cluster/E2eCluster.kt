package dev.mirrordts.sidecar.cluster

import com.google.gson.JsonParser
import dev.mirrordts.sidecar.RealServer
import dev.mirrordts.sidecar.SidecarOptions
import java.io.File
import java.util.concurrent.TimeUnit

/**
 * The real e2e cluster as `e2e/jetbrains.test.ts` describes it to these tests (MIRRORD_E2E_*
 * variables, all derived from e2e's own definitions: WORKLOADS, stealConfig, clusterGet's
 * command, core's agent label). The tests tagged `cluster` run only from that suite, which
 * boots or reuses the cluster, holds its lock, imports the agent image and builds the server.
 */
object E2eCluster {
    private fun env(name: String): String =
        System.getenv("MIRRORD_E2E_$name")?.takeIf { it.isNotEmpty() }
            ?: error("MIRRORD_E2E_$name is not set: the cluster tests run from the e2e suite (cd e2e && npx mocha jetbrains.test.ts)")

    val kubeconfig: String get() = env("KUBECONFIG")
    val kubectlBinary: String get() = env("KUBECTL")
    val namespace: String get() = env("NAMESPACE")
    /** The target path, e.g. `deployment/echo`. */
    val target: String get() = env("TARGET")
    /** A URL of the echo Service by its cluster name, for the local program's GET. */
    val serviceUrl: String get() = env("SERVICE_URL")
    /** The variable only the target container has, and its value. */
    val envVar: String get() = env("ENV_VAR")
    val envValue: String get() = env("ENV_VALUE")
    /** The target container's port: the local program listens on it and requests to it are stolen. */
    val port: Int get() = env("PORT").toInt()
    val filterHeader: String get() = env("FILTER_HEADER")
    /** The JSON of e2e's stealConfig(): the target, steal with the header filter, a short agent communication_timeout. */
    val stealConfig: String get() = env("STEAL_CONFIG")
    val agentLabel: String get() = env("AGENT_LABEL")
    /** e2e/programs: the debuggees. */
    val programs: File get() = File(env("PROGRAMS"))
    val dlv: String get() = env("DLV")

    data class Result(val code: Int, val stdout: String, val stderr: String)

    fun kubectl(args: List<String>, timeoutSeconds: Long = 60): Result = run(listOf(kubectlBinary, "--kubeconfig=$kubeconfig") + args, timeoutSeconds)

    /** Runs a command, killing it (by its handle) when it overruns. */
    fun run(argv: List<String>, timeoutSeconds: Long, environment: Map<String, String> = emptyMap(), dir: File? = null): Result {
        val builder = ProcessBuilder(argv).redirectErrorStream(false)
        builder.environment().putAll(environment)
        if (dir != null) builder.directory(dir)
        val p = builder.start()
        p.outputStream.close()
        val out = StringBuilder()
        val err = StringBuilder()
        val readers = listOf(Thread { out.append(p.inputStream.bufferedReader().readText()) }, Thread { err.append(p.errorStream.bufferedReader().readText()) })
        readers.forEach { it.isDaemon = true; it.start() }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach { it.destroyForcibly() }
            p.destroyForcibly()
            p.waitFor(10, TimeUnit.SECONDS)
            readers.forEach { it.join(2000) }
            return Result(-1, out.toString(), "timed out after $timeoutSeconds s: ${argv.joinToString(" ")}\n$err")
        }
        readers.forEach { it.join(5000) }
        return Result(p.exitValue(), out.toString(), err.toString())
    }

    /**
     * An HTTP GET from another pod to the echo Service: the command of e2e's clusterGet
     * (support/programs.ts clusterGetCommand, passed as MIRRORD_E2E_CLUSTER_GET), then the
     * headers and the URL.
     */
    fun clusterGet(path: String, headers: Map<String, String> = emptyMap(), timeoutSeconds: Long = 90): String {
        val command = JsonParser.parseString(env("CLUSTER_GET")).asJsonObject
        val prefix = command.getAsJsonArray("kubectlArgs").map { it.asString }
        val baseUrl = command.get("baseUrl").asString
        val headerArgs = headers.flatMap { (k, v) -> listOf("--header", "$k: $v") }
        val result = kubectl(prefix + headerArgs + "$baseUrl$path", timeoutSeconds)
        check(result.code == 0) { "wget $path from another pod failed (${result.code}): ${result.stderr.trim()}" }
        return result.stdout
    }

    /** Agent pods (namespace/name phase) not yet Succeeded or Failed, in any namespace. */
    fun agentPods(): List<String> {
        val r = kubectl(listOf("get", "pods", "-A", "-l", agentLabel, "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {.status.phase}{\"\\n\"}{end}"))
        check(r.code == 0) { "kubectl get pods: ${r.stderr}" }
        return r.stdout.lines().filter { it.isNotBlank() && !Regex(" (Succeeded|Failed)$").containsMatchIn(it) }
    }

    /** Waits until no agent pod runs; returns how long that took, or throws naming what is left. */
    fun waitForNoAgent(timeoutMs: Long): Long {
        val started = System.nanoTime()
        while (true) {
            val pods = agentPods()
            val elapsed = (System.nanoTime() - started) / 1_000_000
            if (pods.isEmpty()) return elapsed
            if (elapsed > timeoutMs) throw AssertionError("agent pods still running after $timeoutMs ms: $pods")
            Thread.sleep(250)
        }
    }

    /** The real server's options with the e2e cluster's kubeconfig. */
    fun serverOptions(cwd: File, extraEnv: Map<String, String?> = emptyMap()): SidecarOptions =
        RealServer.options(cwd, extraEnv = mapOf("KUBECONFIG" to kubeconfig) + extraEnv).copy(requestTimeoutMs = 180_000)

    /**
     * Writes e2e's steal config as the workspace's `.mirrord/mirrord.json`, with the agent's
     * `communication_timeout` raised to [communicationTimeout] s: an agent whose client vanished
     * without cleaning up would then outlive the 30 s the tests allow, so "agent gone within 30 s"
     * shows that the server removed it, not that it timed out by itself.
     */
    fun writeStealConfig(workspace: File, communicationTimeout: Int = 90): File {
        val config = JsonParser.parseString(stealConfig).asJsonObject
        val agent = config.getAsJsonObject("agent") ?: com.google.gson.JsonObject().also { config.add("agent", it) }
        agent.addProperty("communication_timeout", communicationTimeout)
        return File(workspace, ".mirrord/mirrord.json").apply { parentFile.mkdirs(); writeText(config.toString()) }
    }

    /** The 1-based line of [marker] in [source] (where a debugger test sets its breakpoint). */
    fun lineOf(source: File, marker: String): Int {
        val lines = source.readLines()
        val index = lines.indexOfFirst { it.contains(marker) }
        check(index >= 0 && lines.count { it.contains(marker) } == 1) { "exactly one line of $source must contain \"$marker\"" }
        return index + 1
    }
}
