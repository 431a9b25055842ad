package dev.mirrordts.sidecar

import com.google.gson.JsonParser
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.util.Collections
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

/** sidecar-client against the real server process (no cluster: KUBECONFIG points at nothing). */
class SidecarClientTest {
    @TempDir lateinit var workspace: File
    private val clients = mutableListOf<SidecarClient>()

    private fun client(protocolVersion: Int = MirrordProtocol.PROTOCOL_VERSION, listener: SidecarListener = object : SidecarListener {}): SidecarClient =
        SidecarClient(RealServer.options(workspace, protocolVersion), listener).also { clients += it }

    private fun writeConfig(text: String): File =
        File(workspace, ".mirrord/mirrord.json").apply { parentFile.mkdirs(); writeText(text) }

    @AfterEach
    fun stop() {
        clients.forEach { runCatching { it.close() } }
    }

    @Test
    fun `initialize with the matching protocol version names the server`() {
        val c = client().start()
        val result = c.initializeResult!!
        assertEquals("mirrord", result.getAsJsonObject("serverInfo").get("name").asString)
        assertEquals(1, result.getAsJsonObject("capabilities").getAsJsonObject("experimental").getAsJsonObject("mirrord").get("protocolVersion").asInt)
        assertEquals(emptyList<SessionInfo>(), c.listSessions())
    }

    @Test
    fun `a protocol version mismatch is refused with the server's one sentence`() {
        val c = client(protocolVersion = 42)
        val e = assertThrows<ProtocolMismatchException> { c.start() }
        val message = e.message!!
        assertTrue(message.contains("version 42"), message)
        assertTrue(message.endsWith("version 1."), message)
        assertEquals(1, message.split(". ").size, "one sentence: $message")
        assertFalse(e.help.isNullOrBlank())
        // The refused server was stopped: nothing left running.
        assertNull(c.pid)
        val servers = ProcessHandle.current().children().filter { it.isAlive && it.info().commandLine().orElse("").contains("ide-server.js") }.count()
        assertEquals(0L, servers, "no server process left")
    }

    @Test
    fun `verifyConfig of a good config is ok and names its file`() {
        val file = writeConfig("""{ "target": "deployment/api", "feature": { "network": { "incoming": "steal" } } }""")
        val c = client().start()
        assertEquals(VerifyConfigResult(file.path, true, emptyList(), emptyList()), c.verifyConfig(workspace.path))
        assertEquals(".mirrord/mirrord.json", c.verifyConfig(".").path)
    }

    @Test
    fun `verifyConfig of a bad config names the bad key`() {
        writeConfig("{\n  \"feature\": { \"network\": { \"incoming\": { \"moode\": \"steal\" } } }\n}\n")
        val c = client().start()
        val result = c.verifyConfig(workspace.path)
        assertFalse(result.ok)
        assertEquals(1, result.errors.size)
        assertEquals("feature.network.incoming.moode", result.errors[0].key)
        assertTrue(result.errors[0].message.contains("did you mean `feature.network.incoming.mode`"), result.errors[0].message)
        assertTrue(result.errors[0].help.isNotBlank())
    }

    @Test
    fun `configSchema is the shipped JSON Schema`() {
        val c = client().start()
        val schema = c.configSchema()
        val shipped = JsonParser.parseString(File(RealServer.coreDir, "schema/mirrord.schema.json").readText())
        assertEquals("mirrord config", schema.get("title").asString)
        assertEquals(shipped, schema)
    }

    @Test
    fun `listTargets without a cluster is a cluster error with a sentence`() {
        val c = client().start()
        val e = assertThrows<MirrordRequestException> { c.listTargets(workspace.path) }
        assertEquals(MirrordProtocol.ErrorCodes.CLUSTER, e.code)
        assertEquals("cluster", e.data?.kind)
        assertTrue(e.message!!.contains("KUBECONFIG") || e.message!!.contains("kube"), e.message)
    }

    @Test
    fun `startSession with a config error names the key and starts nothing`() {
        writeConfig("""{ "feature": { "network": { "incoming": { "mode": "stael" } } } }""")
        val c = client().start()
        val e = assertThrows<MirrordRequestException> { c.startSession(StartSessionParams(cwd = workspace.path, debugType = "java")) }
        assertEquals(MirrordProtocol.ErrorCodes.CONFIG, e.code)
        assertEquals("config", e.data?.kind)
        assertEquals("feature.network.incoming.mode", e.data?.key)
        assertTrue(e.message!!.contains("stael"))
        assertEquals(emptyList<SessionInfo>(), c.listSessions())
    }

    @Test
    fun `session start-up progress reaches the callback, begin to end`() {
        writeConfig("""{ "target": "targetless" }""")
        val seen = Collections.synchronizedList(mutableListOf<Progress>())
        val ended = CountDownLatch(1)
        val c = client(listener = object : SidecarListener {
            override fun progress(progress: Progress) {
                seen += progress
                if (progress.kind == "end") ended.countDown()
            }
        }).start()
        // No cluster: the session fails after the config was resolved, and the progress is ended.
        val e = assertThrows<MirrordRequestException> { c.startSession(StartSessionParams(cwd = workspace.path, debugType = "python")) }
        assertEquals("cluster", e.data?.kind)
        assertTrue(ended.await(10, TimeUnit.SECONDS), "progress end; seen $seen")
        assertEquals("begin", seen.first().kind)
        assertEquals("resolving config", seen.first().message)
        assertEquals("end", seen.last().kind)
        assertEquals(1, seen.map { it.token }.toSet().size, "one token: $seen")
    }

    @Test
    fun `a dead server is restarted once and the caller told, the second death is final`() {
        val restarted = CountDownLatch(1)
        val lost = CountDownLatch(1)
        val c = client(listener = object : SidecarListener {
            override fun serverRestarted(exitCode: Int, lastLog: String) = restarted.countDown()
            override fun serverLost(exitCode: Int, lastLog: String) = lost.countDown()
        }).start()
        val first = c.pid!!
        ProcessHandle.of(first).get().destroyForcibly()
        assertTrue(restarted.await(20, TimeUnit.SECONDS), "restarted")
        val second = c.pid!!
        assertNotEquals(first, second)
        assertEquals(1, c.restartCount)
        // The restarted server is initialized and answers.
        writeConfig("{}")
        assertTrue(c.verifyConfig(workspace.path).ok)
        ProcessHandle.of(second).get().destroyForcibly()
        assertTrue(lost.await(20, TimeUnit.SECONDS), "lost")
        assertNull(c.pid)
        assertThrows<ServerUnavailableException> { c.listSessions() }
    }

    @Test
    fun `close shuts the server down with shutdown and exit`() {
        val c = client().start()
        val handle = ProcessHandle.of(c.pid!!).get()
        val started = System.nanoTime()
        c.close()
        assertFalse(handle.isAlive)
        assertEquals(0, c.lastExitCode, "exit after shutdown is code 0, not a kill")
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5))
        assertNotNull(c.initializeResult)
    }
}
