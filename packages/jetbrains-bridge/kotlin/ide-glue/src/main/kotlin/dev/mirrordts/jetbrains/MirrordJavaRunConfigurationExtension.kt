package dev.mirrordts.jetbrains

import com.intellij.execution.ExecutionException
import com.intellij.execution.RunConfigurationExtension
import com.intellij.execution.configurations.JavaParameters
import com.intellij.execution.configurations.RunConfigurationBase
import com.intellij.execution.configurations.RunnerSettings
import dev.mirrordts.sidecar.LaunchPlan
import dev.mirrordts.sidecar.MirrordRequestException
import dev.mirrordts.sidecar.NodeNotFoundException
import dev.mirrordts.sidecar.RunConfigurationInfo
import dev.mirrordts.sidecar.RunConfigurations
import dev.mirrordts.sidecar.RunKind

/**
 * Java/Kotlin (Application, JUnit, TestNG): when the toggle is on, starts a session and merges its
 * env into the JVM's (LD_PRELOAD chained). A failure stops the launch with the server's sentence.
 */
class MirrordJavaRunConfigurationExtension : RunConfigurationExtension() {
    override fun isApplicableFor(configuration: RunConfigurationBase<*>): Boolean =
        RunConfigurations.KINDS[configuration.type.id]?.let { it == RunKind.JAVA_APPLICATION || it == RunKind.JAVA_TEST } ?: false

    override fun isEnabledFor(applicableConfiguration: RunConfigurationBase<*>, runnerSettings: RunnerSettings?): Boolean =
        Mirrord.isEnabled(applicableConfiguration.project.basePath)

    override fun <T : RunConfigurationBase<*>> updateJavaParameters(configuration: T, params: JavaParameters, runnerSettings: RunnerSettings?) {
        val cwd = params.workingDirectory ?: configuration.project.basePath ?: return
        val info = RunConfigurationInfo(configuration.type.id, configuration.name, debug = runnerSettings != null, env = params.env)
        val kind = RunConfigurations.kindOf(info) ?: return
        try {
            val result = Mirrord.sidecar().startSession(RunConfigurations.startParams(kind, info, cwd, null, null, null))
            when (val plan = RunConfigurations.plan(kind, info, result)) {
                is LaunchPlan.WithEnv -> params.env = HashMap(plan.env)
                is LaunchPlan.AttachToDebugServer -> throw ExecutionException("mirrord: a Java configuration got a debug server to attach to (session ${plan.sessionId}); this is a bug.")
            }
        } catch (e: MirrordRequestException) {
            throw ExecutionException(listOfNotNull(e.message, e.data?.help).joinToString(" "), e)
        } catch (e: NodeNotFoundException) {
            throw ExecutionException("${e.message} ${e.help}", e)
        }
    }
}
