package dev.mirrordts.sidecar

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class RunConfigurationsTest {
    private fun config(typeId: String, name: String = "api", env: Map<String, String> = emptyMap()) =
        RunConfigurationInfo(typeId, name, debug = true, env = env, executable = "/usr/bin/python3", args = listOf("app.py"))

    @Test
    fun `which configurations apply and as what`() {
        assertEquals(RunKind.JAVA_APPLICATION, RunConfigurations.kindOf(config("Application")))
        assertEquals(RunKind.JAVA_APPLICATION, RunConfigurations.kindOf(config("JetRunConfigurationType")))
        assertEquals(RunKind.JAVA_TEST, RunConfigurations.kindOf(config("JUnit")))
        assertEquals(RunKind.GO_BUILD, RunConfigurations.kindOf(config("GoApplicationRunConfiguration")))
        assertEquals(RunKind.GO_TEST, RunConfigurations.kindOf(config("GoTestRunConfiguration")))
        assertEquals(RunKind.PYTHON, RunConfigurations.kindOf(config("PythonConfigurationType")))
        assertEquals(RunKind.NODE, RunConfigurations.kindOf(config("NodeJSConfigurationType")))
        assertNull(RunConfigurations.kindOf(config("CompoundRunConfigurationType")))
        assertNull(RunConfigurations.kindOf(config("Application", name = "Build api")), "the IDE's build configurations are skipped")
        assertNull(RunConfigurations.kindOf(config("Application", env = mapOf(EnvMerge.INJECTED_MARK to "true"))), "never mirrored twice")
        assertEquals(listOf("java", "java", "go", "go", "python", "node"), RunKind.values().map { it.debugType })
    }

    @Test
    fun `Java and Python start with the merged env`() {
        val c = config("PythonConfigurationType", env = mapOf("LD_PRELOAD" to "/u.so", "DEBUG" to "1"))
        val params = RunConfigurations.startParams(RunKind.PYTHON, c, "/ws", null, "deployment/api", null)
        assertEquals(StartSessionParams(cwd = "/ws", target = "deployment/api", debugType = "python", executable = "/usr/bin/python3", args = listOf("app.py")), params)
        val plan = RunConfigurations.plan(RunKind.PYTHON, c, StartSessionResult("s1", mapOf("LD_PRELOAD" to "/l.so", "DB" to "db")))
        assertEquals(LaunchPlan.WithEnv("s1", mapOf("LD_PRELOAD" to "/l.so:/u.so", "DEBUG" to "1", "DB" to "db", EnvMerge.INJECTED_MARK to "true")), plan)
    }

    @Test
    fun `static Go becomes an attach to the server's Delve (launch debugServer)`() {
        val c = config("GoApplicationRunConfiguration").copy(executable = null, args = emptyList())
        val params = RunConfigurations.startParams(RunKind.GO_BUILD, c, "/ws", ".mirrord/mirrord.json", null, "staging", dlvPath = "/opt/dlv")
        assertEquals("go", params.debugType)
        assertEquals("/opt/dlv", params.executable, "for Go, executable is the dlv the server runs under the layer")
        assertNull(params.args, "no binary: the server's default (dlv dap)")
        assertEquals("staging", params.namespace)
        val built = c.copy(executable = "/ws/bin/app", args = listOf("serve", "8080"))
        assertEquals(
            listOf("--listen=127.0.0.1:0", "--headless=true", "--api-version=2", "--check-go-version=false", "--only-same-user=false", "exec", "/ws/bin/app", "--", "serve", "8080"),
            RunConfigurations.startParams(RunKind.GO_BUILD, built, "/ws", null, null, null, dlvPath = "/opt/dlv").args,
            "GoLand's headless JSON-RPC Delve for the built binary",
        )
        val plan = RunConfigurations.plan(RunKind.GO_BUILD, c, StartSessionResult("s2", mapOf("DB" to "db"), Launch(debugServer = 41234)))
        assertEquals(LaunchPlan.AttachToDebugServer("s2", "127.0.0.1", 41234, mapOf("DB" to "db", EnvMerge.INJECTED_MARK to "true")), plan)
        assertThrows<IllegalArgumentException> { RunConfigurations.plan(RunKind.GO_TEST, c, StartSessionResult("s3", emptyMap())) }
    }
}
