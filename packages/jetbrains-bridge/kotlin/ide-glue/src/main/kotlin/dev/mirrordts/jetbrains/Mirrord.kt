package dev.mirrordts.jetbrains

import dev.mirrordts.sidecar.NodeLocator
import dev.mirrordts.sidecar.SidecarClient
import dev.mirrordts.sidecar.SidecarListener
import dev.mirrordts.sidecar.SidecarOptions
import java.io.File
import java.util.concurrent.ConcurrentHashMap

/**
 * The plugin's state, kept without IDE services: the toggle per project (by base path) and one
 * IDE server for the IDE process. NOT RUN INSIDE AN IDE: compiled against signature stubs only.
 */
object Mirrord {
    private val enabled = ConcurrentHashMap<String, Boolean>()
    @Volatile private var client: SidecarClient? = null

    fun isEnabled(projectPath: String?): Boolean = projectPath != null && enabled[projectPath] == true
    fun setEnabled(projectPath: String?, on: Boolean) { if (projectPath != null) enabled[projectPath] = on }

    /** The plugin's folder: `<plugin>/lib/<this jar>` → `<plugin>`. */
    fun pluginHome(): File = File(Mirrord::class.java.protectionDomain.codeSource.location.toURI()).parentFile.parentFile

    /** The bundled server: `<plugin>/server/dist/ide-server.js`, its native files in `<plugin>/server/build/`. */
    fun serverScript(): File = File(pluginHome(), "server/dist/ide-server.js")

    /** The IDE server, started on first use (off the EDT: callers run in a before-run or background task). */
    @Synchronized
    fun sidecar(listener: SidecarListener = object : SidecarListener {}): SidecarClient {
        client?.let { if (it.pid != null) return it }
        val node = NodeLocator.locate(System.getProperty("mirrord.node.path"))
        val started = SidecarClient(
            SidecarOptions(node = node, serverScript = serverScript(), workingDirectory = File(System.getProperty("user.home")), clientName = "mirrord-jetbrains"),
            listener,
        ).start()
        client = started
        return started
    }
}
