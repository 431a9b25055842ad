package dev.mirrordts.sidecar

import com.google.gson.JsonElement
import com.google.gson.JsonObject
import com.google.gson.TypeAdapter
import com.google.gson.annotations.JsonAdapter
import com.google.gson.stream.JsonReader
import com.google.gson.stream.JsonWriter
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest
import java.util.concurrent.CompletableFuture

/**
 * The IDE protocol of `mirrord ide-server --stdio`, mirrored from packages/core/src/ide/protocol.ts
 * (the contract is DESIGN.md's table "The IDE protocol (one server, two clients)"). Field order is
 * the TypeScript declaration order, so Gson writes the same bytes as the VS Code client; absent
 * optional fields are `null` here and left out on the wire.
 */
object MirrordProtocol {
    /** `PROTOCOL_VERSION` in protocol.ts; sent in `initialize`'s `initializationOptions.protocolVersion`. */
    const val PROTOCOL_VERSION = 1

    /** `ErrorCodes` in protocol.ts. */
    object ErrorCodes {
        const val CONFIG = 1001
        const val CLUSTER = 1002
        const val KERNEL = 1003
        const val BUG = 1004
        const val PROTOCOL_VERSION_MISMATCH = 1010
    }

    /** `SESSION_PHASES` in protocol.ts: the work-done progress titles of startSession, in order. */
    val SESSION_PHASES = listOf("resolving config", "finding target", "starting agent", "connecting", "ready")
}

// ---------------------------------------------------------------- errors

/** `ErrorData`: `data` of every JSON-RPC error a mirrord method answers with; the error's `message` is the sentence to show. */
data class ErrorData(
    /** "config" | "cluster" | "kernel" | "bug" */
    val kind: String,
    val key: String? = null,
    val file: String? = null,
    val help: String,
)

// ---------------------------------------------------------------- methods

/** `mirrord/verifyConfig` params. */
data class VerifyConfigParams(val cwd: String, val configFile: String? = null)

data class ConfigProblem(val key: String, val message: String, val help: String)

/** `mirrord/verifyConfig` result; `path` is null when no config file was found (all defaults). */
data class VerifyConfigResult(
    val path: String?,
    val ok: Boolean,
    val errors: List<ConfigProblem>,
    val warnings: List<String>,
)

/** `mirrord/configSchema` and `mirrord/listSessions` take `{}`. */
class EmptyParams {
    override fun equals(other: Any?) = other is EmptyParams
    override fun hashCode() = 0
}

/** `mirrord/listTargets` params. */
data class ListTargetsParams(val cwd: String, val configFile: String? = null, val namespace: String? = null)

/** A target; `kind` is one of pod, deployment, rollout, job, cronjob, statefulset, service, replicaset. */
data class Target(val path: String, val kind: String, val namespace: String, val available: Boolean)

data class ListTargetsResult(val currentNamespace: String, val namespaces: List<String>, val targets: List<Target>)

/** `mirrord/startSession` params. `namespace` is protocol.ts's optional addition (the picker's namespace switch). */
data class StartSessionParams(
    val cwd: String,
    val configFile: String? = null,
    val target: String? = null,
    val namespace: String? = null,
    val debugType: String,
    val executable: String? = null,
    val args: List<String>? = null,
    /** A String or a Number (LSP's ProgressToken). */
    val workDoneToken: Any? = null,
)

/** `launch` of a startSession result; `debugServer` is a port on 127.0.0.1 of an adapter the server started under the layer (Go). */
data class Launch(val executable: String? = null, val args: List<String>? = null, val debugServer: Int? = null)

data class StartSessionResult(val sessionId: String, val env: Map<String, String>, val launch: Launch? = null)

data class StopSessionParams(val sessionId: String)

/** One of `mirrord/listSessions`' result; `state` is starting | running | stopping, `startedAt` ISO 8601. */
data class SessionInfo(val sessionId: String, val target: String, val state: String, val startedAt: String)

/** `error` of `mirrord/sessionEnded`: the sentence plus `ErrorData`'s fields, flattened as protocol.ts has it. */
data class SessionEndedError(
    val message: String,
    val kind: String,
    val key: String? = null,
    val file: String? = null,
    val help: String,
)

/** `mirrord/sessionEnded` (server → client); `reason` is stopped | debuggeeExited | agentLost | serverExit. */
data class SessionEndedParams(val sessionId: String, val reason: String, val error: SessionEndedError? = null)

// ---------------------------------------------------------------- LSP lifecycle (the part this client uses)

/**
 * LSP `initialize` params as this client sends them. LSP's `processId` and `rootUri` are
 * `integer | null` and `DocumentUri | null` (required, nullable), so they are written even when null —
 * which Gson would otherwise drop; hence the explicit adapter, which also fixes the key order.
 */
@JsonAdapter(InitializeParamsAdapter::class)
data class InitializeParams(
    val processId: Long?,
    val clientName: String,
    val clientVersion: String? = null,
    val rootUri: String? = null,
    /** LSP ClientCapabilities; `{"window":{"workDoneProgress":true}}` lets the server report session start-up. */
    val capabilities: JsonObject = JsonObject(),
    val protocolVersion: Int = MirrordProtocol.PROTOCOL_VERSION,
)

class InitializeParamsAdapter : TypeAdapter<InitializeParams>() {
    override fun write(out: JsonWriter, value: InitializeParams) {
        val serializeNulls = out.serializeNulls
        out.serializeNulls = true
        try {
            out.beginObject()
            out.name("processId"); if (value.processId == null) out.nullValue() else out.value(value.processId)
            out.name("clientInfo").beginObject().name("name").value(value.clientName)
            if (value.clientVersion != null) out.name("version").value(value.clientVersion)
            out.endObject()
            out.name("rootUri"); if (value.rootUri == null) out.nullValue() else out.value(value.rootUri)
            out.name("capabilities"); com.google.gson.internal.Streams.write(value.capabilities, out)
            out.name("initializationOptions").beginObject().name("protocolVersion").value(value.protocolVersion.toLong()).endObject()
            out.endObject()
        } finally {
            out.serializeNulls = serializeNulls
        }
    }

    override fun read(reader: JsonReader): InitializeParams = throw UnsupportedOperationException("the client only sends initialize")
}

/** LSP `$/progress` params; `value` is a WorkDoneProgressBegin/Report/End object. */
data class ProgressParams(val token: JsonElement, val value: JsonObject)

/** LSP `window/workDoneProgress/create` params. */
data class WorkDoneProgressCreateParams(val token: JsonElement)

/** What the client sends to the server: LSP's lifecycle and the mirrord methods, by their exact names. */
interface MirrordServerApi {
    /** The result is kept as JSON: capabilities.experimental.mirrord.protocolVersion and serverInfo are read from it. */
    @JsonRequest("initialize")
    fun initialize(params: InitializeParams): CompletableFuture<JsonObject>

    @JsonNotification("initialized")
    fun initialized(params: EmptyParams)

    @JsonRequest("shutdown")
    fun shutdown(): CompletableFuture<Any?>

    @JsonNotification("exit")
    fun exit()

    @JsonRequest("mirrord/verifyConfig")
    fun verifyConfig(params: VerifyConfigParams): CompletableFuture<VerifyConfigResult>

    @JsonRequest("mirrord/configSchema")
    fun configSchema(params: EmptyParams): CompletableFuture<JsonObject>

    @JsonRequest("mirrord/listTargets")
    fun listTargets(params: ListTargetsParams): CompletableFuture<ListTargetsResult>

    @JsonRequest("mirrord/startSession")
    fun startSession(params: StartSessionParams): CompletableFuture<StartSessionResult>

    @JsonRequest("mirrord/stopSession")
    fun stopSession(params: StopSessionParams): CompletableFuture<JsonObject>

    @JsonRequest("mirrord/listSessions")
    fun listSessions(params: EmptyParams): CompletableFuture<List<SessionInfo>>
}

/** What the server sends to the client. */
interface MirrordClientApi {
    @JsonNotification("mirrord/sessionEnded")
    fun sessionEnded(params: SessionEndedParams)

    @JsonRequest("window/workDoneProgress/create")
    fun createWorkDoneProgress(params: WorkDoneProgressCreateParams): CompletableFuture<Void?>

    @JsonNotification("\$/progress")
    fun progress(params: ProgressParams)
}
