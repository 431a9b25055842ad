package dev.mirrordts.sidecar

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class EnvMergeTest {
    private val session = mapOf(
        "LD_PRELOAD" to "/opt/mirrord/build/libmirrord_layer.so",
        "MIRRORD_LAYER_SOCKET" to "/tmp/mirrord-s1.sock",
        "DB_HOST" to "db.default.svc",
        "PORT" to "80",
    )

    @Test
    fun `the session's variables replace the configuration's, the rest stay`() {
        val merged = EnvMerge.merge(mapOf("PORT" to "3000", "MY_FLAG" to "1"), session)
        assertEquals("80", merged["PORT"], "mirrord's config chose to bring PORT from the target")
        assertEquals("db.default.svc", merged["DB_HOST"])
        assertEquals("1", merged["MY_FLAG"], "a variable the session does not set keeps the user's value")
        assertEquals("/tmp/mirrord-s1.sock", merged["MIRRORD_LAYER_SOCKET"])
        assertEquals("true", merged[EnvMerge.INJECTED_MARK])
    }

    @Test
    fun `a variable the config excluded keeps the user's value`() {
        // feature.env.exclude: "PORT" → the server does not return PORT.
        val merged = EnvMerge.merge(mapOf("PORT" to "3000"), session - "PORT")
        assertEquals("3000", merged["PORT"])
    }

    @Test
    fun `LD_PRELOAD is chained, layer first, not replaced`() {
        val merged = EnvMerge.merge(mapOf("LD_PRELOAD" to "/usr/lib/libjemalloc.so /usr/lib/other.so"), session)
        assertEquals("/opt/mirrord/build/libmirrord_layer.so:/usr/lib/libjemalloc.so:/usr/lib/other.so", merged["LD_PRELOAD"])
        assertEquals("/opt/mirrord/build/libmirrord_layer.so", EnvMerge.merge(emptyMap(), session)["LD_PRELOAD"])
        assertEquals("/l.so:/u.so", EnvMerge.chainPreload("/l.so", "/l.so:/u.so"), "no duplicate of the layer")
    }

    @Test
    fun `a session without LD_PRELOAD (Go, the layer is inherited from dlv) leaves the user's alone`() {
        val merged = EnvMerge.merge(mapOf("LD_PRELOAD" to "/u.so"), mapOf("DB_HOST" to "db"))
        assertEquals("/u.so", merged["LD_PRELOAD"])
        assertNull(merged["MIRRORD_LAYER_SOCKET"])
    }

    @Test
    fun `the mark says an environment was mirrored already`() {
        assertTrue(EnvMerge.alreadyMirrored(EnvMerge.merge(emptyMap(), session)))
        assertFalse(EnvMerge.alreadyMirrored(mapOf("A" to "1")))
    }
}
