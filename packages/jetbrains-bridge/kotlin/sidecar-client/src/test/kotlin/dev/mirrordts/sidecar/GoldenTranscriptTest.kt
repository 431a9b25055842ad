package dev.mirrordts.sidecar

import com.google.gson.JsonObject
import com.google.gson.JsonParser
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.io.ByteArrayOutputStream
import java.io.File
import java.util.concurrent.TimeUnit

/**
 * Acceptance 5: the golden transcript of packages/core/src/ide/golden/ (recorded from the real
 * server, replayed by core's golden.test.ts for the VS Code side) replayed by this client through
 * lsp4j: the bytes this client writes must be the transcript's client bytes, and the bytes the real
 * server answers must be its server bytes.
 */
class GoldenTranscriptTest {
    private class Recorder : WireTap {
        val client = ByteArrayOutputStream()
        val server = ByteArrayOutputStream()
        override fun clientWrote(bytes: ByteArray, offset: Int, length: Int) = synchronized(client) { client.write(bytes, offset, length) }
        override fun serverWrote(bytes: ByteArray, offset: Int, length: Int) = synchronized(server) { server.write(bytes, offset, length) }
    }

    @Test
    fun `the Kotlin client speaks the golden transcript byte for byte`() {
        RealServer.ensureBuilt()
        val transcript = JsonParser.parseString(File(RealServer.goldenDir, "transcript.json").readText()).asJsonObject
        val setup = transcript.getAsJsonObject("server")
        val exchange = transcript.getAsJsonArray("exchange").map { it.asJsonObject }
        val expectedClient = exchange.filter { it.has("client") }.joinToString("") { it.get("client").asString }.toByteArray(Charsets.UTF_8)
        val expectedServer = exchange.filter { it.has("server") }.joinToString("") { it.get("server").asString }.toByteArray(Charsets.UTF_8)

        val builder = ProcessBuilder(RealServer.node.executable.path, RealServer.script.path, "--stdio")
            .directory(File(RealServer.goldenDir, setup.get("cwd").asString))
        for (name in setup.getAsJsonArray("unset")) builder.environment().remove(name.asString)
        for ((name, value) in setup.getAsJsonObject("env").entrySet()) builder.environment()[name] = value.asString
        builder.redirectError(ProcessBuilder.Redirect.DISCARD)
        val process = builder.start()
        val recorder = Recorder()
        try {
            val connection = Connection(process.inputStream, process.outputStream, {}, {}, recorder)
            val server = connection.server
            val timeout = 15_000L
            val init = Connection.await(server.initialize(InitializeParams(processId = null, clientName = "golden-transcript", capabilities = JsonObject())), timeout)
            assertEquals("mirrord", init.getAsJsonObject("serverInfo").get("name").asString)
            server.initialized(EmptyParams())
            val good = Connection.await(server.verifyConfig(VerifyConfigParams(".")), timeout)
            assertEquals(VerifyConfigResult(".mirrord/mirrord.json", true, emptyList(), emptyList()), good)
            val bad = Connection.await(server.verifyConfig(VerifyConfigParams(".", "bad/mirrord.json")), timeout)
            assertEquals("feature.network.incoming.moode", bad.errors.single().key)
            assertEquals("mirrord config", Connection.await(server.configSchema(EmptyParams()), timeout).get("title").asString)
            val targets = assertThrows<MirrordRequestException> { Connection.await(server.listTargets(ListTargetsParams(".")), timeout) }
            assertEquals("cluster", targets.data?.kind)
            Connection.await(server.shutdown(), timeout)
            server.exit()
            if (!process.waitFor(15, TimeUnit.SECONDS)) fail<Unit>("the server did not exit after exit")
            assertEquals(transcript.get("exitCode").asInt, process.exitValue())
            // The reader may still be draining the pipe.
            val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5)
            while (synchronized(recorder.server) { recorder.server.size() } < expectedServer.size && System.nanoTime() < deadline) Thread.sleep(20)
            Thread.sleep(100)
            connection.stopListening()
        } finally {
            process.destroyForcibly()
        }
        compare("client", expectedClient, synchronized(recorder.client) { recorder.client.toByteArray() })
        compare("server", expectedServer, synchronized(recorder.server) { recorder.server.toByteArray() })
    }

    private fun compare(side: String, expected: ByteArray, actual: ByteArray) {
        if (expected.contentEquals(actual)) return
        val at = expected.indices.firstOrNull { it >= actual.size || expected[it] != actual[it] } ?: expected.size
        fun around(bytes: ByteArray) = String(bytes, maxOf(0, at - 120), minOf(bytes.size, at + 120) - maxOf(0, at - 120), Charsets.UTF_8)
        fail<Unit>("the $side bytes differ from the golden transcript at byte $at (expected ${expected.size} bytes, got ${actual.size}).\nexpected: …${around(expected)}…\nactual:   …${around(actual)}…")
    }
}
