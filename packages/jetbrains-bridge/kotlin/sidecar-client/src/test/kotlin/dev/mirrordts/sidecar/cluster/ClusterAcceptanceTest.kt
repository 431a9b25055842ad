package dev.mirrordts.sidecar.cluster

import com.google.gson.JsonObject
import com.google.gson.JsonParser
import com.sun.jdi.Bootstrap
import com.sun.jdi.StringReference
import com.sun.jdi.VirtualMachine
import com.sun.jdi.connect.AttachingConnector
import com.sun.jdi.event.BreakpointEvent
import com.sun.jdi.request.EventRequest
import dev.mirrordts.sidecar.LaunchPlan
import dev.mirrordts.sidecar.MirrordRequestException
import dev.mirrordts.sidecar.ProtocolMismatchException
import dev.mirrordts.sidecar.RealServer
import dev.mirrordts.sidecar.RunConfigurationInfo
import dev.mirrordts.sidecar.RunConfigurations
import dev.mirrordts.sidecar.RunKind
import dev.mirrordts.sidecar.SessionEndedParams
import dev.mirrordts.sidecar.SidecarClient
import dev.mirrordts.sidecar.SidecarListener
import dev.mirrordts.sidecar.StartSessionResult
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.net.ServerSocket
import java.util.concurrent.Executors
import java.util.concurrent.Future
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/**
 * Issue 8, acceptance 1–4: sidecar-client against the real IDE server and the real e2e cluster
 * (run by e2e/jetbrains.test.ts, which sets MIRRORD_E2E_*; tagged `cluster`, so the bridge's own
 * `mvn verify` leaves them out). Each program is started the way the IDE starts it: its argv
 * (IntelliJ's `-agentlib:jdwp=…`, GoLand's Delve through the bridge's launch), the IDE's
 * environment plus the run configuration's env merged with the session's. Every test stops what
 * it started (sessions, programs, debug connections) also when it fails, and then checks that
 * no agent pod is left in the cluster.
 */
@Tag("cluster")
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class ClusterAcceptanceTest {
    @TempDir lateinit var workspace: File
    private val cleanups = ArrayDeque<() -> Unit>()
    private val ended = LinkedBlockingQueue<SessionEndedParams>()
    private val serverLog = StringBuffer()
    private val requests = Executors.newCachedThreadPool { r -> Thread(r, "cluster-request").apply { isDaemon = true } }

    private val listener = object : SidecarListener {
        override fun sessionEnded(params: SessionEndedParams) { ended += params }
        override fun log(line: String) { serverLog.append(line).append('\n') }
    }

    @BeforeEach
    fun noAgentBefore() {
        // A session of an earlier test (or run) still going would make "agent gone" checks lie.
        E2eCluster.waitForNoAgent(60_000)
    }

    @AfterEach
    fun cleanUp() {
        while (cleanups.isNotEmpty()) runCatching { cleanups.removeLast()() }.onFailure { println("cleanup: $it") }
        // In the test's <system-out> of Surefire's report (e2e/jetbrains.test.ts shows it for a failed test).
        println("server log (last 6000 characters):\n${serverLog.toString().takeLast(6000)}")
        requests.shutdownNow()
        // What the test made must be gone from the cluster, failures included.
        E2eCluster.waitForNoAgent(45_000)
    }

    private fun client(): SidecarClient =
        SidecarClient(E2eCluster.serverOptions(workspace), listener).start().also { c -> cleanups += { c.close() } }

    private fun program(argv: List<String>, env: Map<String, String>): LocalProgram =
        LocalProgram(argv, env, workspace).also { p -> cleanups += { p.stop() } }

    private fun startSession(c: SidecarClient, params: dev.mirrordts.sidecar.StartSessionParams): StartSessionResult {
        val result = c.startSession(params)
        cleanups += { runCatching { c.stopSession(result.sessionId) } }
        assertTrue(E2eCluster.agentPods().isNotEmpty(), "the session's agent pod runs in the cluster")
        return result
    }

    private val javaBin: String = File(System.getProperty("java.home"), "bin/java").path

    private fun compileDebuggee(): File {
        val classes = File(workspace, "classes").apply { mkdirs() }
        val javac = File(System.getProperty("java.home"), "bin/javac").path
        val r = E2eCluster.run(listOf(javac, "-g", "-d", classes.path, File(E2eCluster.programs, "Debuggee.java").path), 120)
        assertEquals(0, r.code, "javac: ${r.stderr}")
        return classes
    }

    private fun debuggeeArgs(): List<String> = listOf(E2eCluster.serviceUrl, E2eCluster.envVar, E2eCluster.port.toString())

    /** What every debuggee shows: GET by the Service's name answered by the pod, and the target container's env var. */
    private fun assertStartedInCluster(program: LocalProgram) {
        val first = JsonParser.parseString(program.waitFor(Regex("^\\{.*\\}$", RegexOption.MULTILINE), 90_000).value).asJsonObject
        val get = first.get("get").asString
        assertTrue(get.contains("\"path\":\"/from-local\""), "GET by the Service's name answered through the pod: $get")
        assertTrue(get.contains("\"pod\":\"echo-"), "answered by the echo pod: $get")
        assertEquals(E2eCluster.envValue, first.get("env").asString, "the target container's ${E2eCluster.envVar}")
        program.waitFor(Regex("^serving$", RegexOption.MULTILINE), 30_000)
    }

    /** A request with the filter header reaches the local program (retried while the steal subscription comes up); others reach the pod. */
    private fun assertStolen(from: String) {
        val deadline = System.currentTimeMillis() + 30_000
        var answer = JsonObject()
        while (System.currentTimeMillis() < deadline) {
            answer = JsonParser.parseString(E2eCluster.clusterGet("/stolen", mapOf(E2eCluster.filterHeader to "yes"))).asJsonObject
            if (answer.get("from")?.asString == from) break
            Thread.sleep(500)
        }
        assertEquals(from, answer.get("from")?.asString, "a request with ${E2eCluster.filterHeader} is stolen: $answer")
        assertEquals("/stolen", answer.get("path").asString)
        assertTrue(E2eCluster.clusterGet("/not-stolen").contains("\"path\":\"/not-stolen\""), "the pod answers the rest")
    }

    /** stopSession → sessionEnded(stopped), and the agent pod gone within 30 s of the stop. */
    private fun stopAndAssertAgentGone(c: SidecarClient, sessionId: String) {
        val started = System.nanoTime()
        c.stopSession(sessionId)
        val end = ended.poll(30, TimeUnit.SECONDS)
        assertNotNull(end, "sessionEnded after stopSession")
        assertEquals(sessionId, end!!.sessionId)
        assertEquals("stopped", end.reason)
        val left = 30_000 - (System.nanoTime() - started) / 1_000_000
        E2eCluster.waitForNoAgent(left.coerceAtLeast(0))
        println("session $sessionId: agent gone ${(System.nanoTime() - started) / 1_000_000} ms after stopSession")
    }

    // ------------------------------------------------------------------ acceptance 1

    @Test
    fun `acceptance 1 - handshake (mismatch refused with a sentence), listTargets, verifyConfig good and bad`() {
        val c = client()
        val info = c.initializeResult!!
        assertEquals("mirrord", info.getAsJsonObject("serverInfo").get("name").asString)
        assertEquals(1, info.getAsJsonObject("capabilities").getAsJsonObject("experimental").getAsJsonObject("mirrord").get("protocolVersion").asInt)

        val refused = assertThrows<ProtocolMismatchException> {
            SidecarClient(E2eCluster.serverOptions(workspace).copy(protocolVersion = 2), listener).also { cleanups += { it.close() } }.start()
        }
        val sentence = refused.message!!
        assertTrue(sentence.contains("version 2") && sentence.endsWith("version 1."), sentence)
        assertEquals(1, sentence.split(". ").size, "one sentence: $sentence")

        val listing = c.listTargets(workspace.path, namespace = E2eCluster.namespace)
        assertEquals(E2eCluster.namespace, listing.currentNamespace)
        assertTrue(E2eCluster.namespace in listing.namespaces, listing.namespaces.toString())
        val target = listing.targets.firstOrNull { it.path == E2eCluster.target || it.path.startsWith("${E2eCluster.target}/container/") }
        assertNotNull(target, "${E2eCluster.target} listed: ${listing.targets.map { it.path }}")
        assertEquals(E2eCluster.namespace, target!!.namespace)
        assertTrue(target.available, "$target available")

        val good = E2eCluster.writeStealConfig(workspace)
        val verdict = c.verifyConfig(workspace.path)
        assertEquals(good.path, verdict.path)
        assertTrue(verdict.ok, verdict.toString())
        assertEquals(emptyList<Any>(), verdict.errors)

        val bad = File(workspace, "bad.json").apply {
            writeText("{\n  \"target\": \"${E2eCluster.target}\",\n  \"feature\": { \"network\": { \"incoming\": { \"mode\": \"stael\" } } }\n}\n")
        }
        val badVerdict = c.verifyConfig(workspace.path, bad.name)
        assertFalse(badVerdict.ok)
        assertEquals(listOf("feature.network.incoming.mode"), badVerdict.errors.map { it.key })
        assertTrue(badVerdict.errors[0].message.contains("stael"), badVerdict.errors[0].message)
        // A session with it is refused with the same key, before anything reaches the cluster.
        val e = assertThrows<MirrordRequestException> {
            c.startSession(RunConfigurations.startParams(RunKind.JAVA_APPLICATION, RunConfigurationInfo("Application", "Debuggee", debug = false), workspace.path, bad.name, null, null))
        }
        assertEquals("config", e.data?.kind)
        assertEquals("feature.network.incoming.mode", e.data?.key)
        assertEquals(emptyList<String>(), E2eCluster.agentPods(), "a refused config starts no agent")
    }

    @Test
    fun `acceptance 1 - Java program with the session's env reaches the Service by name and sees the target's env var, stop removes the agent within 30 s`() {
        E2eCluster.writeStealConfig(workspace)
        val classes = compileDebuggee()
        val c = client()
        val runConfig = RunConfigurationInfo("Application", "Debuggee", debug = false, env = mapOf("USER_ONLY_VAR" to "kept"), executable = javaBin, args = debuggeeArgs())
        val kind = RunConfigurations.kindOf(runConfig)!!
        val result = startSession(c, RunConfigurations.startParams(kind, runConfig, workspace.path, null, null, null))
        val plan = RunConfigurations.plan(kind, runConfig, result) as LaunchPlan.WithEnv
        assertTrue(plan.env.getValue("LD_PRELOAD").contains("libmirrord_layer"), "the layer is preloaded: ${plan.env["LD_PRELOAD"]}")
        assertEquals("kept", plan.env["USER_ONLY_VAR"])
        val p = program(listOf(javaBin, "-cp", classes.path, "Debuggee") + runConfig.args, plan.env)
        assertStartedInCluster(p)
        assertStolen("local-java-debuggee")
        stopAndAssertAgentGone(c, result.sessionId)
    }

    @Test
    fun `acceptance 1 - Python program with the session's env reaches the Service by name and sees the target's env var, stop removes the agent within 30 s`() {
        E2eCluster.writeStealConfig(workspace)
        // PyCharm starts the configured interpreter itself (not a shim in front of it).
        val python = E2eCluster.run(listOf("python3", "-c", "import sys; print(sys.executable)"), 30).stdout.trim()
        assertTrue(File(python).canExecute(), "python3: $python")
        val c = client()
        val script = File(E2eCluster.programs, "debuggee.py").path
        val runConfig = RunConfigurationInfo("PythonConfigurationType", "debuggee", debug = false, env = mapOf("PYTHONUNBUFFERED" to "1"), executable = python, args = listOf(script) + debuggeeArgs())
        val kind = RunConfigurations.kindOf(runConfig)!!
        assertEquals(RunKind.PYTHON, kind)
        val result = startSession(c, RunConfigurations.startParams(kind, runConfig, workspace.path, null, null, null))
        val plan = RunConfigurations.plan(kind, runConfig, result) as LaunchPlan.WithEnv
        assertTrue(plan.env.getValue("LD_PRELOAD").contains("libmirrord_layer"), "the layer is preloaded: ${plan.env["LD_PRELOAD"]}")
        val p = program(listOf(python, "-u") + runConfig.args, plan.env)
        assertStartedInCluster(p)
        assertStolen("local-python-debuggee")
        stopAndAssertAgentGone(c, result.sessionId)
    }

    // ------------------------------------------------------------------ acceptance 2

    @Test
    fun `acceptance 2 - JDWP - a stolen request stops the Java handler at a JDI breakpoint`() {
        E2eCluster.writeStealConfig(workspace)
        val classes = compileDebuggee()
        val source = File(E2eCluster.programs, "Debuggee.java")
        val line = E2eCluster.lineOf(source, "// jdwp breakpoint here")
        val c = client()
        val jdwpPort = ServerSocket(0).use { it.localPort }
        val runConfig = RunConfigurationInfo("Application", "Debuggee", debug = true, executable = javaBin, args = debuggeeArgs())
        val kind = RunConfigurations.kindOf(runConfig)!!
        val result = startSession(c, RunConfigurations.startParams(kind, runConfig, workspace.path, null, null, null))
        val plan = RunConfigurations.plan(kind, runConfig, result) as LaunchPlan.WithEnv
        // As IntelliJ's debug runner starts an Application configuration.
        val jdwp = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:$jdwpPort"
        val p = program(listOf(javaBin, jdwp, "-cp", classes.path, "Debuggee") + runConfig.args, plan.env)
        assertStartedInCluster(p)

        val vm = attachJdi(jdwpPort)
        cleanups += { runCatching { vm.dispose() } }
        val type = vm.classesByName("Debuggee").single()
        val location = type.locationsOfLine(line).first()
        val breakpoint = vm.eventRequestManager().createBreakpointRequest(location).apply {
            setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD)
            enable()
        }

        var hit: BreakpointEvent? = null
        var request: Future<String>? = null
        var path = ""
        val deadline = System.currentTimeMillis() + 90_000
        var attempt = 0
        while (hit == null && System.currentTimeMillis() < deadline) {
            path = "/jdwp-breakpoint-${++attempt}"
            val sent = path
            request = requests.submit<String> { E2eCluster.clusterGet(sent, mapOf(E2eCluster.filterHeader to "yes")) }
            val attemptEnd = System.currentTimeMillis() + 20_000
            while (hit == null && !request.isDone && System.currentTimeMillis() < attemptEnd) {
                val events = vm.eventQueue().remove(250) ?: continue
                hit = events.filterIsInstance<BreakpointEvent>().firstOrNull()
                if (hit == null) events.resume()
            }
            if (hit == null) {
                // Answered before the steal was in place (by the pod), or not at all: try again.
                println("attempt $attempt: ${runCatching { request.get(30, TimeUnit.SECONDS) }.getOrElse { it.toString() }}")
                Thread.sleep(500)
            }
        }
        assertNotNull(hit, "the breakpoint was hit by a stolen request; program output:\n${p.stdout()}\n${p.stderr()}")
        val frame = hit!!.thread().frame(0)
        assertEquals("answer", frame.location().method().name())
        assertEquals(line, frame.location().lineNumber())
        assertEquals(path, (frame.getArgumentValues()[0] as StringReference).value(), "the handler stopped for the stolen request")
        Thread.sleep(1000)
        assertFalse(request!!.isDone, "the request waits while the handler is stopped")
        breakpoint.disable()
        vm.resume()
        val body = JsonParser.parseString(request.get(60, TimeUnit.SECONDS)).asJsonObject
        assertEquals("local-java-debuggee", body.get("from").asString)
        assertEquals(path, body.get("path").asString)
        p.waitFor(Regex("^got ${Regex.escape(path)}$", RegexOption.MULTILINE), 10_000)
        vm.dispose()
        stopAndAssertAgentGone(c, result.sessionId)
    }

    private fun attachJdi(port: Int): VirtualMachine {
        val connector = Bootstrap.virtualMachineManager().attachingConnectors().first { it.name() == "com.sun.jdi.SocketAttach" } as AttachingConnector
        val args = connector.defaultArguments()
        args.getValue("hostname").setValue("127.0.0.1")
        args.getValue("port").setValue(port.toString())
        args["timeout"]?.setValue("20000")
        return connector.attach(args)
    }

    // ------------------------------------------------------------------ acceptance 3

    @Test
    fun `acceptance 3 - a static Go program under Delve started as GoLand does stops at a breakpoint on a stolen request`() {
        E2eCluster.writeStealConfig(workspace)
        val source = File(E2eCluster.programs, "debuggee.go")
        val line = E2eCluster.lineOf(source, "// delve breakpoint here")
        // GoLand builds the binary for debugging without optimisations; CGO_ENABLED=0 makes it static.
        val binary = File(workspace, "debuggee")
        val build = E2eCluster.run(listOf("go", "build", "-gcflags=all=-N -l", "-o", binary.path, source.path), 900, mapOf("CGO_ENABLED" to "0"), workspace)
        assertEquals(0, build.code, "go build: ${build.stderr}")
        val file = E2eCluster.run(listOf("file", binary.path), 30).stdout
        assertTrue(file.contains("statically linked"), file)

        val c = client()
        val runConfig = RunConfigurationInfo("GoApplicationRunConfiguration", "debuggee", debug = true, executable = binary.path, args = debuggeeArgs())
        val kind = RunConfigurations.kindOf(runConfig)!!
        val params = RunConfigurations.startParams(kind, runConfig, workspace.path, null, null, null, dlvPath = E2eCluster.dlv)
        assertEquals(RunConfigurations.delveArgs(binary.path, debuggeeArgs()), params.args)
        val result = startSession(c, params)
        val plan = RunConfigurations.plan(kind, runConfig, result) as LaunchPlan.AttachToDebugServer
        cleanups += { killLeftovers(binary.path) }

        // GoLand's "Go Remote": Delve's JSON-RPC API on the port the bridge was given.
        val dlv = DelveClient.connect(plan.port)
        cleanups += { dlv.close() }
        val breakpointId = dlv.createBreakpoint(source.path, line)
        var running = dlv.command("continue")
        var request: Future<String>? = null
        var path = ""
        val deadline = System.currentTimeMillis() + 120_000
        var attempt = 0
        while (!running.isDone && System.currentTimeMillis() < deadline) {
            path = "/delve-breakpoint-${++attempt}"
            val sent = path
            request = requests.submit<String> { E2eCluster.clusterGet(sent, mapOf(E2eCluster.filterHeader to "yes")) }
            val attemptEnd = System.currentTimeMillis() + 20_000
            while (!running.isDone && !request.isDone && System.currentTimeMillis() < attemptEnd) Thread.sleep(100)
            if (!running.isDone) {
                println("attempt $attempt: ${runCatching { request.get(30, TimeUnit.SECONDS) }.getOrElse { it.toString() }}")
                Thread.sleep(500)
            }
        }
        assertTrue(running.isDone, "Delve stopped the program (server log:\n$serverLog)")
        val state = running.get().asJsonObject.getAsJsonObject("State")
        assertFalse(state.get("exited")?.asBoolean ?: false, "the program did not exit: $state\nserver log:\n$serverLog")
        val thread = state.getAsJsonObject("currentThread")
        assertEquals(breakpointId, thread.getAsJsonObject("breakPoint")?.get("id")?.asInt, "stopped at our breakpoint: $thread")
        assertEquals(line, thread.get("line").asInt)
        assertEquals(path, dlv.eval("r.URL.Path"), "the handler stopped for the stolen request")
        Thread.sleep(1000)
        assertFalse(request!!.isDone, "the request waits while the handler is stopped")
        dlv.callSync("ClearBreakpoint", JsonObject().apply { addProperty("Id", breakpointId) })
        running = dlv.command("continue")
        val body = JsonParser.parseString(request.get(60, TimeUnit.SECONDS)).asJsonObject
        assertEquals("local-go-debuggee", body.get("from").asString)
        assertEquals(path, body.get("path").asString)
        assertEquals(E2eCluster.envValue, body.get("env").asString, "the static debuggee saw the target's env var")
        assertTrue(body.get("get").asString.contains("\"path\":\"/from-local\""), "the static debuggee reached the Service by name: ${body.get("get")}")
        // Stop as GoLand's stop button does: halt, then detach killing the debuggee.
        runCatching { dlv.command("halt").get(20, TimeUnit.SECONDS) }
        runCatching { running.get(20, TimeUnit.SECONDS) }
        runCatching { dlv.callSync("Detach", JsonObject().apply { addProperty("Kill", true) }) }
        dlv.close()
        val started = System.nanoTime()
        c.stopSession(result.sessionId)
        E2eCluster.waitForNoAgent(30_000 - (System.nanoTime() - started) / 1_000_000)
        assertEquals(emptyList<String>(), processesRunning(binary.path), "the debuggee is gone with its session")
    }

    private fun processesRunning(executable: String): List<String> =
        ProcessHandle.allProcesses().filter { it.isAlive && it.info().command().orElse("") == executable }.map { "${it.pid()} ${it.info().commandLine().orElse("")}" }.toList()

    private fun killLeftovers(executable: String) {
        ProcessHandle.allProcesses().filter { it.isAlive && it.info().command().orElse("") == executable }.forEach { it.destroyForcibly() }
    }

    // ------------------------------------------------------------------ acceptance 4

    @Test
    fun `acceptance 4 - SIGKILL of the JVM running sidecar-client mid-session - the server sees stdin close and the agent is gone within 30 s`() {
        E2eCluster.writeStealConfig(workspace)
        val holder = program(listOf(javaBin, "-Dmirrord.core.dir=${RealServer.coreDir.path}", "-cp", System.getProperty("java.class.path"), SessionHolder::class.java.name, workspace.path), emptyMap())
        val started = holder.waitFor(Regex("^session (\\S+) server (\\d+)$", RegexOption.MULTILINE), 180_000)
        val server = ProcessHandle.of(started.groupValues[2].toLong()).orElseThrow { AssertionError("the server ${started.groupValues[2]} is not running") }
        cleanups += { if (server.isAlive) server.destroyForcibly() }
        assertTrue(server.info().commandLine().orElse("").contains("ide-server.js"), server.info().toString())
        assertTrue(E2eCluster.agentPods().isNotEmpty(), "the session's agent runs")

        val killed = System.nanoTime()
        assertTrue(holder.process.toHandle().destroyForcibly(), "SIGKILL sent to the JVM")
        assertTrue(holder.process.waitFor(10, TimeUnit.SECONDS))
        assertEquals(128 + 9, holder.process.exitValue(), "the JVM died of SIGKILL")
        server.onExit().get(30, TimeUnit.SECONDS)
        val serverGone = (System.nanoTime() - killed) / 1_000_000
        E2eCluster.waitForNoAgent(30_000 - serverGone)
        val agentGone = (System.nanoTime() - killed) / 1_000_000
        println("SIGKILL: server exited after $serverGone ms, agent gone after $agentGone ms")
    }
}
