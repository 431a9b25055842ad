package dev.mirrordts.sidecar

import com.google.gson.Gson
import com.google.gson.JsonElement
import com.google.gson.JsonObject
import org.eclipse.lsp4j.jsonrpc.Endpoint
import org.eclipse.lsp4j.jsonrpc.Launcher
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer
import org.eclipse.lsp4j.jsonrpc.messages.Either
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints
import java.io.InputStream
import java.io.OutputStream
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.Future
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/** A mirrord method answered with a JSON-RPC error: `message` is the sentence to show, `data` says whose fault and what next. */
class MirrordRequestException(val code: Int, message: String, val data: ErrorData?) : Exception(message)

/** `initialize` refused: the server and this client speak different protocol versions; `message` is the server's sentence. */
class ProtocolMismatchException(message: String, val help: String?) : Exception(message)

/** The server process is gone (and was not, or could no longer be, restarted). */
class ServerUnavailableException(message: String) : Exception(message)

/** Sees every byte of the wire, for the golden transcript and for logs. */
interface WireTap {
    fun clientWrote(bytes: ByteArray, offset: Int, length: Int) {}
    fun serverWrote(bytes: ByteArray, offset: Int, length: Int) {}
}

/** A work-done progress event of the server ($/progress): kind begin | report | end. */
data class Progress(val token: String, val kind: String, val title: String?, val message: String?, val percentage: Int?)

/**
 * One JSON-RPC connection over a pair of streams (the server process's stdout/stdin), with
 * lsp4j's typed proxy. Request ids are numbers (1, 2, …), as the VS Code client sends them;
 * lsp4j's own are strings.
 */
class Connection(
    input: InputStream,
    output: OutputStream,
    private val onSessionEnded: (SessionEndedParams) -> Unit,
    private val onProgress: (Progress) -> Unit,
    tap: WireTap? = null,
) {
    val server: MirrordServerApi
    private val listening: Future<Void>

    init {
        val tappedIn = if (tap == null) input else object : InputStream() {
            override fun read(): Int = input.read().also { if (it >= 0) tap.serverWrote(byteArrayOf(it.toByte()), 0, 1) }
            override fun read(b: ByteArray, off: Int, len: Int): Int = input.read(b, off, len).also { if (it > 0) tap.serverWrote(b, off, it) }
            override fun close() = input.close()
        }
        val tappedOut = if (tap == null) output else object : OutputStream() {
            override fun write(b: Int) { tap.clientWrote(byteArrayOf(b.toByte()), 0, 1); output.write(b) }
            override fun write(b: ByteArray, off: Int, len: Int) { tap.clientWrote(b, off, len); output.write(b, off, len) }
            override fun flush() = output.flush()
            override fun close() = output.close()
        }
        val client = object : MirrordClientApi {
            override fun sessionEnded(params: SessionEndedParams) = onSessionEnded(params)
            override fun createWorkDoneProgress(params: WorkDoneProgressCreateParams): CompletableFuture<Void?> = CompletableFuture.completedFuture(null)
            override fun progress(params: ProgressParams) {
                val v = params.value
                fun str(name: String) = v.get(name)?.takeIf { it.isJsonPrimitive }?.asString
                onProgress(Progress(tokenText(params.token), str("kind") ?: "report", str("title"), str("message"), v.get("percentage")?.takeIf { it.isJsonPrimitive }?.asInt))
            }
        }
        val launcher = NumericIdLauncherBuilder()
            .setLocalService(client)
            .setRemoteInterface(MirrordServerApi::class.java)
            .setInput(tappedIn)
            .setOutput(tappedOut)
            .create()
        server = launcher.remoteProxy
        listening = launcher.startListening()
    }

    /** Stops reading (the streams are the process's; closing them is the caller's). */
    fun stopListening() {
        listening.cancel(true)
    }

    private class NumericIdLauncherBuilder : Launcher.Builder<MirrordServerApi>() {
        override fun createRemoteEndpoint(jsonHandler: MessageJsonHandler): RemoteEndpoint {
            val outgoing = wrapMessageConsumer(StreamMessageConsumer(output, jsonHandler))
            val local: Endpoint = ServiceEndpoints.toEndpoint(localServices)
            val endpoint = object : RemoteEndpoint(outgoing, local) {
                override fun createRequestMessage(method: String, parameter: Any?): RequestMessage =
                    super.createRequestMessage(method, parameter).also { it.setRawId(Either.forRight(it.id.toInt())) }
            }
            jsonHandler.methodProvider = endpoint
            endpoint.setJsonHandler(jsonHandler)
            return endpoint
        }
    }

    companion object {
        private val gson = Gson()

        fun tokenText(token: JsonElement): String = if (token.isJsonPrimitive) token.asString else token.toString()

        /** Waits for a request's answer; a JSON-RPC error becomes [MirrordRequestException] with the server's sentence. */
        fun <T> await(future: CompletableFuture<T>, timeoutMs: Long): T {
            try {
                return future.get(timeoutMs, TimeUnit.MILLISECONDS)
            } catch (e: ExecutionException) {
                throw translate(e.cause ?: e)
            } catch (e: TimeoutException) {
                future.cancel(true)
                throw ServerUnavailableException("The mirrord server did not answer within ${timeoutMs / 1000} s.")
            }
        }

        fun translate(cause: Throwable): Exception {
            if (cause is ResponseErrorException) {
                val error = cause.responseError
                val data = error.data?.let { raw ->
                    runCatching {
                        val tree = if (raw is JsonElement) raw else gson.toJsonTree(raw)
                        if (tree is JsonObject && tree.has("kind")) gson.fromJson(tree, ErrorData::class.java) else null
                    }.getOrNull()
                }
                return MirrordRequestException(error.code, error.message, data)
            }
            return if (cause is Exception) cause else RuntimeException(cause)
        }
    }
}
