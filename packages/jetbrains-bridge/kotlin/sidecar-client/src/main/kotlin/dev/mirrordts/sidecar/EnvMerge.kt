package dev.mirrordts.sidecar

/**
 * How a session's `env` (startSession's answer) is merged into a run configuration's own
 * environment. mirrord's rules, as its JetBrains plugin applies them (`currentEnv + mirrordEnv`):
 *
 * - The server already applied the config's `feature.env` (`include`, `exclude`, `override`,
 *   `env_file`, `mapping`, `unset`): a variable it returns is the one mirrord's config wants, so it
 *   replaces the run configuration's value; a variable it does not return (excluded, not included,
 *   not in the target) keeps the user's value — the user's env wins exactly where the config says so.
 * - `LD_PRELOAD` is chained, never replaced: the layer first, then the user's own libraries.
 * - Variables the layer steers (`MIRRORD_LAYER_SOCKET`, …) always come from the session.
 * - `__MIRRORD_EXT_INJECTED=true` marks the environment as mirrored, so a child run of an
 *   already-mirrored configuration is not mirrored twice (the VS Code extension uses the same mark).
 */
object EnvMerge {
    const val INJECTED_MARK = "__MIRRORD_EXT_INJECTED"
    private const val PRELOAD = "LD_PRELOAD"

    fun merge(userEnv: Map<String, String>, sessionEnv: Map<String, String>): Map<String, String> {
        val merged = LinkedHashMap(userEnv)
        for ((name, value) in sessionEnv) {
            merged[name] = if (name == PRELOAD) chainPreload(value, userEnv[PRELOAD]) else value
        }
        merged[INJECTED_MARK] = "true"
        return merged
    }

    /** The layer's libraries first, then the user's, without duplicates; LD_PRELOAD takes ':' or ' ' separators. */
    fun chainPreload(layer: String, user: String?): String {
        if (user.isNullOrBlank()) return layer
        val layerEntries = layer.split(':', ' ').filter { it.isNotEmpty() }
        val userEntries = user.split(':', ' ').filter { it.isNotEmpty() && it !in layerEntries }
        return (layerEntries + userEntries).joinToString(":")
    }

    /** Whether an environment was already merged by mirrord. */
    fun alreadyMirrored(env: Map<String, String>): Boolean = env[INJECTED_MARK] == "true"
}
