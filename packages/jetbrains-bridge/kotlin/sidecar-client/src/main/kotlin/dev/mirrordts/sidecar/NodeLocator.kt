package dev.mirrordts.sidecar

import java.io.File
import java.util.concurrent.TimeUnit

/** A Node that can run the IDE server bundle. */
data class NodeRuntime(val executable: File, val version: String, val major: Int)

/** No usable Node: the message is the one sentence the IDE shows, `help` the next step. */
class NodeNotFoundException(message: String, val help: String) : Exception(message)

/**
 * Finds the Node that runs `ide-server.js`: the path configured in the plugin settings (or the
 * IDE's Node.js interpreter) first, else `node` on `PATH`. The server bundle targets Node 20.
 */
object NodeLocator {
    const val MINIMUM_MAJOR = 20

    fun locate(configured: String?, path: String? = System.getenv("PATH")): NodeRuntime {
        val candidate: File = if (!configured.isNullOrBlank()) {
            val file = File(configured)
            if (!file.isFile || !file.canExecute()) {
                throw NodeNotFoundException(
                    "The Node.js configured for mirrord ($configured) does not exist or is not executable.",
                    "Set the path of a Node.js $MINIMUM_MAJOR or newer in Settings | Tools | mirrord, or clear it to use node from PATH.",
                )
            }
            file
        } else {
            onPath("node", path) ?: throw NodeNotFoundException(
                "mirrord needs Node.js $MINIMUM_MAJOR or newer, and none was found on PATH.",
                "Install Node.js $MINIMUM_MAJOR+ or set its path in Settings | Tools | mirrord.",
            )
        }
        val version = versionOf(candidate)
        val major = parseMajor(version) ?: throw NodeNotFoundException(
            "${candidate.path} did not report a Node.js version (it answered \"$version\").",
            "Point mirrord at a Node.js $MINIMUM_MAJOR or newer in Settings | Tools | mirrord.",
        )
        if (major < MINIMUM_MAJOR) {
            throw NodeNotFoundException(
                "mirrord needs Node.js $MINIMUM_MAJOR or newer, but ${candidate.path} is $version.",
                "Install Node.js $MINIMUM_MAJOR+ or set its path in Settings | Tools | mirrord.",
            )
        }
        return NodeRuntime(candidate, version, major)
    }

    /** The first executable `name` in the `PATH` list, or null. */
    fun onPath(name: String, path: String?): File? =
        (path ?: "").split(File.pathSeparatorChar).filter { it.isNotEmpty() }
            .map { File(it, name) }.firstOrNull { it.isFile && it.canExecute() }

    /** "v20.19.2" → 20; anything else → null. */
    fun parseMajor(version: String): Int? = Regex("^v?(\\d+)\\.\\d+\\.\\d+").find(version.trim())?.groupValues?.get(1)?.toIntOrNull()

    private fun versionOf(node: File): String {
        val process = try {
            ProcessBuilder(node.path, "--version").redirectErrorStream(true).start()
        } catch (e: Exception) {
            throw NodeNotFoundException("${node.path} could not be started (${e.message}).", "Point mirrord at a working Node.js $MINIMUM_MAJOR or newer.")
        }
        process.outputStream.close()
        val out = process.inputStream.bufferedReader().readText().trim()
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            throw NodeNotFoundException("${node.path} --version did not answer within 10 s.", "Point mirrord at a working Node.js $MINIMUM_MAJOR or newer.")
        }
        return out
    }
}
