package dev.mirrordts.jetbrains

import com.jetbrains.plugin.structure.base.plugin.PluginCreationFail
import com.jetbrains.plugin.structure.base.plugin.PluginCreationSuccess
import com.jetbrains.plugin.structure.intellij.plugin.IdePlugin
import com.jetbrains.plugin.structure.intellij.plugin.IdePluginManager
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.fail
import java.io.File
import java.nio.file.Files
import java.util.zip.ZipFile
import javax.xml.parsers.DocumentBuilderFactory

/** The plugin zip `mvn package` made: JetBrains' structure checks, and every class plugin.xml names is in the jars. */
class PluginZipTest {
    private val zip = File(System.getProperty("plugin.zip") ?: "target/mirrord-ts-jetbrains-0.1.0.zip")

    @Test
    fun `the zip passes JetBrains' plugin structure checks with no errors`() {
        val extracted = Files.createTempDirectory("mirrord-plugin-structure")
        try {
            val result = IdePluginManager.createManager(extracted).createPlugin(zip.toPath())
            when (result) {
                is PluginCreationFail -> fail("structure check failed: ${result.errorsAndWarnings.joinToString("\n") { "${it.level}: ${it.message}" }}")
                is PluginCreationSuccess -> {
                    val plugin: IdePlugin = result.plugin
                    assertEquals("dev.mirrord-ts.jetbrains", plugin.pluginId)
                    assertEquals(emptyList<String>(), result.unacceptableWarnings.map { it.message }, "unacceptable warnings")
                    println("structure check: ok, ${result.warnings.size} warning(s): ${result.warnings.joinToString("; ") { it.message }}")
                }
                else -> fail("unexpected result $result")
            }
        } finally {
            extracted.toFile().deleteRecursively()
        }
    }

    @Test
    fun `the zip has the lib jars, plugin xml and the bundled server`() {
        ZipFile(zip).use { z ->
            val names = z.entries().asSequence().map { it.name }.toList()
            for (expected in listOf("mirrord-ts/lib/ide-glue-0.1.0.jar", "mirrord-ts/lib/sidecar-client-0.1.0.jar", "mirrord-ts/server/dist/ide-server.js", "mirrord-ts/server/build/libmirrord_layer.so", "mirrord-ts/server/build/mirrord-layer-exec", "mirrord-ts/server/build/layer.node")) {
                assertTrue(expected in names, "$expected in $names")
            }
            assertTrue(names.any { it.startsWith("mirrord-ts/lib/org.eclipse.lsp4j.jsonrpc-") }, "lsp4j in lib/")
            assertTrue(names.none { it.contains("platform-stubs") }, "the stubs are never shipped: $names")
        }
    }

    @Test
    fun `every class plugin xml names exists in the plugin's jars`() {
        ZipFile(zip).use { z ->
            val jars = z.entries().asSequence().filter { it.name.startsWith("mirrord-ts/lib/") && it.name.endsWith(".jar") }.toList()
            val classes = mutableSetOf<String>()
            var pluginXml: ByteArray? = null
            for (jar in jars) {
                java.util.zip.ZipInputStream(z.getInputStream(jar)).use { inner ->
                    while (true) {
                        val entry = inner.nextEntry ?: break
                        if (entry.name.endsWith(".class")) classes += entry.name.removeSuffix(".class").replace('/', '.')
                        if (entry.name == "META-INF/plugin.xml") pluginXml = inner.readBytes()
                    }
                }
            }
            val doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pluginXml!!.inputStream())
            val named = mutableListOf<String>()
            val all = doc.getElementsByTagName("*")
            for (i in 0 until all.length) {
                val element = all.item(i) as org.w3c.dom.Element
                for (attribute in listOf("class", "implementation", "implementationClass", "serviceImplementation", "instance")) {
                    element.getAttribute(attribute).takeIf { it.isNotEmpty() }?.let { named += it }
                }
            }
            assertTrue(named.size >= 2, "plugin.xml names its classes: $named")
            val missing = named.filter { it !in classes }
            assertEquals(emptyList<String>(), missing, "classes named in plugin.xml but not in the jars")
        }
    }
}
