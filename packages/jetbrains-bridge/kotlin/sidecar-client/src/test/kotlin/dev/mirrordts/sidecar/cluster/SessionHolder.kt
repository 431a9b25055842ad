package dev.mirrordts.sidecar.cluster

import dev.mirrordts.sidecar.RunConfigurationInfo
import dev.mirrordts.sidecar.RunConfigurations
import dev.mirrordts.sidecar.RunKind
import dev.mirrordts.sidecar.SidecarClient
import dev.mirrordts.sidecar.SidecarListener
import java.io.File

/**
 * The IDE side in a JVM of its own (acceptance 4): starts the server through [SidecarClient],
 * starts a session for a Java configuration in the workspace given as the argument, prints
 * `session <id> server <pid>` and then waits to be killed. The test SIGKILLs this JVM. LSP's
 * `processId` is left out here, so the server can learn of the death only from its stdin closing
 * (with it, the server's process watchdog would notice too, a few seconds later).
 */
object SessionHolder {
    @JvmStatic
    fun main(args: Array<String>) {
        val workspace = File(args[0])
        val client = SidecarClient(E2eCluster.serverOptions(workspace).copy(processId = null), object : SidecarListener {
            override fun log(line: String) = System.err.println("server: $line")
        }).start()
        val config = RunConfigurationInfo("Application", "Debuggee", debug = true)
        val kind = RunConfigurations.kindOf(config)!!
        val result = client.startSession(RunConfigurations.startParams(kind, config, workspace.path, null, null, null))
        println("session ${result.sessionId} server ${client.pid}")
        System.out.flush()
        Thread.sleep(Long.MAX_VALUE)
    }
}
