package dev.mirrordts.sidecar.cluster

import java.io.File
import java.util.concurrent.TimeUnit

/**
 * A local program a test starts the way the IDE would (its own argv, the IDE's environment plus
 * the run configuration's merged env), with its output collected. [stop] kills it and every
 * descendant by PID (SIGKILL), and is safe to call twice.
 */
class LocalProgram(argv: List<String>, env: Map<String, String>, dir: File) : AutoCloseable {
    val process: Process
    private val out = StringBuffer()
    private val err = StringBuffer()

    init {
        val builder = ProcessBuilder(argv).directory(dir)
        builder.environment().putAll(env)
        process = builder.start()
        process.outputStream.close()
        Thread { process.inputStream.bufferedReader().forEachLine { synchronized(out) { out.append(it).append('\n') } } }.apply { isDaemon = true }.start()
        Thread { process.errorStream.bufferedReader().forEachLine { synchronized(err) { err.append(it).append('\n') } } }.apply { isDaemon = true }.start()
    }

    fun stdout(): String = synchronized(out) { out.toString() }
    fun stderr(): String = synchronized(err) { err.toString() }

    /** The first match of [pattern] in stdout, waiting up to [timeoutMs]; fails when the program exits first. */
    fun waitFor(pattern: Regex, timeoutMs: Long = 60_000): MatchResult {
        val deadline = System.currentTimeMillis() + timeoutMs
        while (true) {
            pattern.find(stdout())?.let { return it }
            if (!process.isAlive || System.currentTimeMillis() > deadline) {
                throw AssertionError("no $pattern in the program's output (${if (process.isAlive) "still running" else "exit ${process.exitValue()}"}):\n${stdout()}\n${stderr()}")
            }
            Thread.sleep(50)
        }
    }

    fun stop() {
        val handle = process.toHandle()
        handle.descendants().forEach { it.destroyForcibly() }
        handle.destroyForcibly()
        process.waitFor(10, TimeUnit.SECONDS)
    }

    override fun close() = stop()
}
