package dev.mirrordts.sidecar

import com.google.gson.JsonObject
import java.io.File
import java.util.concurrent.TimeUnit

/** How to start the server: `node <serverScript> --stdio` in `workingDirectory`. */
data class SidecarOptions(
    val node: NodeRuntime,
    /** `ide-server.js` of core's bundle; the layer's native files are in `../build/` beside its folder. */
    val serverScript: File,
    val workingDirectory: File,
    /** Added to the IDE's environment; a null value removes the variable. */
    val environment: Map<String, String?> = emptyMap(),
    val clientName: String = "mirrord-jetbrains",
    val clientVersion: String? = null,
    /** Sent as LSP's processId: the server exits when this process is gone. */
    val processId: Long? = ProcessHandle.current().pid(),
    val protocolVersion: Int = MirrordProtocol.PROTOCOL_VERSION,
    val requestTimeoutMs: Long = 120_000,
    val shutdownTimeoutMs: Long = 10_000,
)

/** What the IDE is told; called on the connection's threads (hand UI work to the EDT). */
interface SidecarListener {
    fun sessionEnded(params: SessionEndedParams) {}
    fun progress(progress: Progress) {}
    /** The server died and was started again (once); its sessions ended with it. */
    fun serverRestarted(exitCode: Int, lastLog: String) {}
    /** The server died again (or could not be restarted): mirrord is off until the IDE starts it anew. */
    fun serverLost(exitCode: Int, lastLog: String) {}
    fun log(line: String) {}
}

/**
 * The IDE server as the JetBrains side sees it: starts `node ide-server.js --stdio`, does the
 * handshake, restarts the server once if it dies, shuts it down cleanly (shutdown, exit, then
 * SIGTERM and SIGKILL through the process handle).
 */
class SidecarClient(private val options: SidecarOptions, private val listener: SidecarListener = object : SidecarListener {}) : AutoCloseable {
    private val lock = Any()
    private var process: Process? = null
    private var connection: Connection? = null
    private var closing = false
    private var restarts = 0
    private val log = StringBuilder()

    /** The `initialize` answer of the running server (serverInfo, capabilities). */
    @Volatile var initializeResult: JsonObject? = null
        private set

    /** Starts the server and completes the handshake; throws [ProtocolMismatchException] on a version mismatch. */
    fun start(): SidecarClient {
        synchronized(lock) { launch() }
        return this
    }

    /** The exit code of the server after [close] (null while it runs). */
    @Volatile var lastExitCode: Int? = null
        private set

    val pid: Long? get() = synchronized(lock) { process?.pid() }
    val restartCount: Int get() = synchronized(lock) { restarts }

    /** The typed proxy of the running server. */
    val server: MirrordServerApi
        get() = synchronized(lock) { connection?.server } ?: throw ServerUnavailableException("The mirrord server is not running.")

    fun verifyConfig(cwd: String, configFile: String? = null): VerifyConfigResult = call { it.verifyConfig(VerifyConfigParams(cwd, configFile)) }
    fun configSchema(): JsonObject = call { it.configSchema(EmptyParams()) }
    fun listTargets(cwd: String, configFile: String? = null, namespace: String? = null): ListTargetsResult = call { it.listTargets(ListTargetsParams(cwd, configFile, namespace)) }
    fun startSession(params: StartSessionParams): StartSessionResult = call { it.startSession(params) }
    fun stopSession(sessionId: String) { call { it.stopSession(StopSessionParams(sessionId)) } }
    fun listSessions(): List<SessionInfo> = call { it.listSessions(EmptyParams()) }

    private fun <T> call(request: (MirrordServerApi) -> java.util.concurrent.CompletableFuture<T>): T =
        Connection.await(request(server), options.requestTimeoutMs)

    private fun launch() {
        val builder = ProcessBuilder(options.node.executable.path, options.serverScript.path, "--stdio")
            .directory(options.workingDirectory)
        val env = builder.environment()
        for ((name, value) in options.environment) if (value == null) env.remove(name) else env[name] = value
        val started = builder.start()
        process = started
        Thread({
            started.errorStream.bufferedReader().forEachLine { line ->
                synchronized(log) { log.append(line).append('\n'); if (log.length > 8000) log.delete(0, log.length - 8000) }
                listener.log(line)
            }
        }, "mirrord-server-stderr").apply { isDaemon = true }.start()
        val conn = Connection(started.inputStream, started.outputStream, listener::sessionEnded, listener::progress)
        connection = conn
        started.onExit().thenAccept { exited(it) }
        try {
            handshake(conn)
        } catch (e: Exception) {
            // Refused or broken: close its input (the server exits when stdin closes), then kill if needed.
            closing = true
            runCatching { started.outputStream.close() }
            kill(started)
            conn.stopListening()
            process = null
            connection = null
            throw e
        }
    }

    private fun handshake(conn: Connection) {
        val capabilities = JsonObject().apply { add("window", JsonObject().apply { addProperty("workDoneProgress", true) }) }
        val params = InitializeParams(options.processId, options.clientName, options.clientVersion, null, capabilities, options.protocolVersion)
        val result = try {
            Connection.await(conn.server.initialize(params), options.requestTimeoutMs)
        } catch (e: MirrordRequestException) {
            if (e.code == MirrordProtocol.ErrorCodes.PROTOCOL_VERSION_MISMATCH) throw ProtocolMismatchException(e.message ?: "", e.data?.help)
            throw e
        }
        val spoken = result.getAsJsonObject("capabilities")?.getAsJsonObject("experimental")?.getAsJsonObject("mirrord")?.get("protocolVersion")?.asInt
        if (spoken != options.protocolVersion) {
            throw ProtocolMismatchException(
                "The mirrord server speaks IDE protocol ${spoken?.let { "version $it" } ?: "no version"}, but this plugin speaks version ${options.protocolVersion}.",
                "Install the plugin and the mirrord server of the same release; they ship together.",
            )
        }
        initializeResult = result
        conn.server.initialized(EmptyParams())
    }

    private fun lastLog(): String = synchronized(log) { log.toString() }

    private fun exited(dead: Process) {
        val restart: Boolean
        synchronized(lock) {
            if (dead !== process || closing) return
            connection?.stopListening()
            connection = null
            restart = restarts == 0
            if (restart) restarts++ else process = null
        }
        val code = dead.exitValue()
        if (!restart) {
            listener.serverLost(code, lastLog())
            return
        }
        try {
            synchronized(lock) { if (!closing) launch() }
            listener.serverRestarted(code, lastLog())
        } catch (e: Exception) {
            synchronized(lock) { process = null; connection = null }
            listener.log("restarting the mirrord server failed: ${e.message}")
            listener.serverLost(code, lastLog())
        }
    }

    /** shutdown → exit → wait; then SIGTERM, then SIGKILL, each through the process handle. */
    override fun close() {
        val (p, conn) = synchronized(lock) { closing = true; process to connection }
        if (p == null) return
        if (p.isAlive && conn != null) {
            try {
                Connection.await(conn.server.shutdown(), options.shutdownTimeoutMs)
                conn.server.exit()
            } catch (e: Exception) {
                listener.log("mirrord server shutdown: ${e.message}")
            }
        }
        kill(p)
        lastExitCode = if (p.isAlive) null else p.exitValue()
        conn?.stopListening()
        synchronized(lock) { process = null; connection = null }
    }

    private fun kill(p: Process) {
        if (p.waitFor(options.shutdownTimeoutMs, TimeUnit.MILLISECONDS)) return
        p.toHandle().destroy()
        if (p.waitFor(options.shutdownTimeoutMs, TimeUnit.MILLISECONDS)) return
        p.toHandle().destroyForcibly()
        p.waitFor(5, TimeUnit.SECONDS)
    }

}
