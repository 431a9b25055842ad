package dev.mirrordts.sidecar

/**
 * Which run configurations mirrord applies to, and what each one's launch becomes — plain data,
 * no IDE classes (ide-glue maps the IDE's configuration objects onto [RunConfigurationInfo]).
 */
enum class RunKind(
    /** `debugType` sent in startSession (the server picks its debugger handling by it). */
    val debugType: String,
) {
    /** IntelliJ Application / Kotlin (JVM), started with `-agentlib:jdwp=…` when debugged. */
    JAVA_APPLICATION("java"),
    /** IntelliJ JUnit / TestNG: a JVM like Application. */
    JAVA_TEST("java"),
    /** GoLand Go Build: debugged through Delve. */
    GO_BUILD("go"),
    /** GoLand Go Test: debugged through Delve. */
    GO_TEST("go"),
    /** PyCharm Python (pydevd / debugpy). */
    PYTHON("python"),
    /** Node.js run configuration. */
    NODE("node"),
}

/**
 * The IDE's run configuration as far as mirrord reads it: its type id (`ConfigurationType.getId()`),
 * its name, whether it is being debugged, and its environment.
 */
data class RunConfigurationInfo(
    val typeId: String,
    val name: String,
    val debug: Boolean,
    val env: Map<String, String> = emptyMap(),
    val executable: String? = null,
    val args: List<String> = emptyList(),
)

/** What the IDE does with the session's answer. */
sealed interface LaunchPlan {
    val sessionId: String

    /** Start the program as the IDE would, with this environment (dynamic executables: the layer is LD_PRELOADed). */
    data class WithEnv(override val sessionId: String, val env: Map<String, String>) : LaunchPlan

    /**
     * Go: the server runs Delve under the layer's launcher (static binaries ignore LD_PRELOAD; the
     * debuggee inherits the filter from dlv) with GoLand's arguments ([RunConfigurations.delveArgs]).
     * The IDE attaches its debugger ("Go Remote", Delve's JSON-RPC API) to 127.0.0.1:[port] instead
     * of starting its own dlv; [env] is the target's environment merged with the configuration's.
     */
    data class AttachToDebugServer(override val sessionId: String, val host: String, val port: Int, val env: Map<String, String>) : LaunchPlan
}

object RunConfigurations {
    /**
     * Configuration type ids (ConfigurationType.getId()) of the IDEs, mapped to what mirrord does.
     * Java: `Application`, `JUnit`, `TestNG`, Kotlin's `JetRunConfigurationType`; Go:
     * `GoApplicationRunConfiguration`, `GoTestRunConfiguration`; Python: `PythonConfigurationType`,
     * pytest/unittest `tests`; Node: `NodeJSConfigurationType`. ide-glue must check these against the
     * platform sources before relying on them (see README).
     */
    val KINDS: Map<String, RunKind> = mapOf(
        "Application" to RunKind.JAVA_APPLICATION,
        "JetRunConfigurationType" to RunKind.JAVA_APPLICATION,
        "JUnit" to RunKind.JAVA_TEST,
        "TestNG" to RunKind.JAVA_TEST,
        "GoApplicationRunConfiguration" to RunKind.GO_BUILD,
        "GoTestRunConfiguration" to RunKind.GO_TEST,
        "PythonConfigurationType" to RunKind.PYTHON,
        "tests" to RunKind.PYTHON,
        "NodeJSConfigurationType" to RunKind.NODE,
    )

    /** The kind mirrord handles this configuration as, or null when mirrord leaves it alone. */
    fun kindOf(config: RunConfigurationInfo): RunKind? {
        // mirrord's plugin skips the IDE's own "Build …" configurations; an environment mirrord
        // already merged (a child run) is never mirrored twice.
        if (config.name.startsWith("Build ")) return null
        if (EnvMerge.alreadyMirrored(config.env)) return null
        return KINDS[config.typeId]
    }

    /** startSession's params for this configuration. */
    fun startParams(kind: RunKind, config: RunConfigurationInfo, cwd: String, configFile: String?, target: String?, namespace: String?, dlvPath: String? = null): StartSessionParams =
        StartSessionParams(
            cwd = cwd,
            configFile = configFile,
            target = target,
            namespace = namespace,
            debugType = kind.debugType,
            // For Go the executable is the dlv the server runs under the layer, with GoLand's
            // arguments for the built binary (config.executable).
            executable = if (kind.debugType == "go") dlvPath else config.executable,
            args = if (kind.debugType == "go") config.executable?.let { delveArgs(it, config.args) } else config.args.takeIf { it.isNotEmpty() },
        )

    /**
     * dlv's arguments as GoLand starts Delve for a built binary: its headless JSON-RPC server
     * (API v2, what GoLand's debugger speaks; not DAP) on a loopback port dlv picks (the server
     * reads it from dlv's output and returns it as `launch.debugServer`). The program's own
     * arguments follow `--`.
     */
    fun delveArgs(binary: String, programArgs: List<String>): List<String> =
        listOf("--listen=127.0.0.1:0", "--headless=true", "--api-version=2", "--check-go-version=false", "--only-same-user=false", "exec", binary) +
            (if (programArgs.isEmpty()) emptyList() else listOf("--") + programArgs)

    /** The session's answer turned into what the IDE does. */
    fun plan(kind: RunKind, config: RunConfigurationInfo, result: StartSessionResult): LaunchPlan {
        val port = result.launch?.debugServer
        if (kind.debugType == "go") {
            requireNotNull(port) { "The mirrord server did not start a debug server for the Go session ${result.sessionId}." }
            return LaunchPlan.AttachToDebugServer(result.sessionId, "127.0.0.1", port, EnvMerge.merge(config.env, result.env))
        }
        return LaunchPlan.WithEnv(result.sessionId, EnvMerge.merge(config.env, result.env))
    }
}
