package dev.mirrordts.sidecar

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.File

class NodeLocatorTest {
    @TempDir lateinit var dir: File

    /** A stand-in `node` that prints a version, as a real Node answers `--version`. */
    private fun fakeNode(version: String, name: String = "node"): File =
        File(dir, name).apply { writeText("#!/bin/sh\necho $version\n"); setExecutable(true) }

    @Test
    fun `the real node on PATH is found and is at least 20`() {
        val node = NodeLocator.locate(null)
        assertTrue(node.major >= 20, node.toString())
        assertTrue(node.version.startsWith("v"))
    }

    @Test
    fun `a configured path wins over PATH`() {
        val configured = fakeNode("v22.3.0", "my-node")
        val node = NodeLocator.locate(configured.path, path = "/usr/bin:/bin")
        assertEquals(configured, node.executable)
        assertEquals(22, node.major)
    }

    @Test
    fun `no node on PATH is a clear sentence`() {
        val e = assertThrows<NodeNotFoundException> { NodeLocator.locate(null, path = dir.path) }
        assertEquals("mirrord needs Node.js 20 or newer, and none was found on PATH.", e.message)
        assertTrue(e.help.contains("Settings"))
    }

    @Test
    fun `a configured path that does not exist is named`() {
        val e = assertThrows<NodeNotFoundException> { NodeLocator.locate("/nonexistent/node") }
        assertTrue(e.message!!.contains("/nonexistent/node"), e.message)
    }

    @Test
    fun `a node below 20 is refused with its version`() {
        fakeNode("v18.19.1")
        val e = assertThrows<NodeNotFoundException> { NodeLocator.locate(null, path = dir.path) }
        assertEquals("mirrord needs Node.js 20 or newer, but ${File(dir, "node").path} is v18.19.1.", e.message)
    }

    @Test
    fun `PATH lookup takes the first executable`() {
        val first = File(dir, "a").apply { mkdirs() }
        val second = File(dir, "b").apply { mkdirs() }
        File(first, "node").writeText("not executable")
        val executable = File(second, "node").apply { writeText("#!/bin/sh\n"); setExecutable(true) }
        assertEquals(executable, NodeLocator.onPath("node", "${first.path}:${second.path}"))
        assertNull(NodeLocator.onPath("node", ""))
        assertEquals(20, NodeLocator.parseMajor("v20.19.2\n"))
        assertNull(NodeLocator.parseMajor("node: command not found"))
    }
}
