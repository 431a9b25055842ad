package dev.mirrordts.sidecar.cluster

import com.google.gson.JsonElement
import com.google.gson.JsonObject
import com.google.gson.JsonParser
import com.google.gson.stream.JsonReader
import java.io.InputStreamReader
import java.net.InetSocketAddress
import java.net.Socket
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong

/**
 * A client of Delve's JSON-RPC API v2 (`dlv --headless --api-version=2`), what GoLand's debugger
 * speaks (not DAP): Go's net/rpc JSON codec, one JSON object per call
 * `{"method": "RPCServer.<Name>", "params": [<arg>], "id": n}`, answered by
 * `{"id": n, "result": …, "error": null | "<message>"}`, calls answered in any order.
 */
class DelveClient private constructor(private val socket: Socket) : AutoCloseable {
    private val ids = AtomicLong(1)
    private val pending = ConcurrentHashMap<Long, CompletableFuture<JsonElement>>()

    init {
        Thread({
            val reader = JsonReader(InputStreamReader(socket.getInputStream(), Charsets.UTF_8)).apply { isLenient = true }
            try {
                while (true) {
                    val message = JsonParser.parseReader(reader).asJsonObject
                    val future = pending.remove(message.get("id").asLong) ?: continue
                    val error = message.get("error")
                    if (error != null && !error.isJsonNull) future.completeExceptionally(DelveException(error.asString))
                    else future.complete(message.get("result"))
                }
            } catch (e: Exception) {
                pending.values.forEach { it.completeExceptionally(DelveException("connection to Delve ended: ${e.message}")) }
            }
        }, "delve-json-rpc").apply { isDaemon = true }.start()
    }

    class DelveException(message: String) : RuntimeException(message)

    /** Sends `RPCServer.<method>` with one argument object; the future is its result. */
    fun call(method: String, arg: JsonObject = JsonObject()): CompletableFuture<JsonElement> {
        val id = ids.getAndIncrement()
        val future = CompletableFuture<JsonElement>()
        pending[id] = future
        val request = JsonObject().apply {
            addProperty("method", "RPCServer.$method")
            add("params", com.google.gson.JsonArray().apply { add(arg) })
            addProperty("id", id)
        }
        synchronized(socket) {
            socket.getOutputStream().write(request.toString().toByteArray(Charsets.UTF_8))
            socket.getOutputStream().flush()
        }
        return future
    }

    fun callSync(method: String, arg: JsonObject = JsonObject(), timeoutSeconds: Long = 30): JsonObject =
        call(method, arg).get(timeoutSeconds, TimeUnit.SECONDS).asJsonObject

    /** A breakpoint at file:line (`CreateBreakpoint`); its id. */
    fun createBreakpoint(file: String, line: Int): Int {
        val bp = JsonObject().apply { addProperty("file", file); addProperty("line", line) }
        return callSync("CreateBreakpoint", JsonObject().apply { add("Breakpoint", bp) }).getAsJsonObject("Breakpoint").get("id").asInt
    }

    /** `Command {name}` (continue, halt, …): answered with the debugger state once the target stops. */
    fun command(name: String): CompletableFuture<JsonElement> = call("Command", JsonObject().apply { addProperty("name", name) })

    /** Evaluates [expr] in the current goroutine's frame 0; the variable's `value`. */
    fun eval(expr: String): String {
        val scope = JsonObject().apply { addProperty("GoroutineID", -1); addProperty("Frame", 0) }
        val cfg = JsonObject().apply {
            addProperty("FollowPointers", true); addProperty("MaxVariableRecurse", 1); addProperty("MaxStringLen", 256)
            addProperty("MaxArrayValues", 64); addProperty("MaxStructFields", -1)
        }
        val result = callSync("Eval", JsonObject().apply { add("Scope", scope); addProperty("Expr", expr); add("Cfg", cfg) })
        return result.getAsJsonObject("Variable").get("value").asString
    }

    override fun close() {
        runCatching { socket.close() }
    }

    companion object {
        fun connect(port: Int, timeoutMs: Int = 20_000): DelveClient {
            val socket = Socket()
            socket.connect(InetSocketAddress("127.0.0.1", port), timeoutMs)
            return DelveClient(socket)
        }
    }
}
