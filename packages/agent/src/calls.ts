/** Ties gRPC calls to sessions and ends them with typed statuses. */
import * as grpc from "@grpc/grpc-js";
import { SESSION_METADATA_KEY } from "@mirrord-ts/protocol";
import type { IoError } from "@mirrord-ts/protocol";
import type { Session, SessionRegistry } from "./lifecycle/sessions.js";

type AnyStreamCall = grpc.ServerDuplexStream<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>;

export function statusError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

/** Ends a streaming call with a status other than OK. */
export function failStream(call: AnyStreamCall, code: grpc.status, details: string): void {
  call.emit("error", statusError(code, details));
}

const NO_SESSION = "This call has no live session: call Session and send ClientHello first, and keep pinging.";

export function sessionOf(registry: SessionRegistry, call: { metadata: grpc.Metadata }): Session | undefined {
  const id = call.metadata.get(SESSION_METADATA_KEY)[0];
  return typeof id === "string" ? registry.get(id) : undefined;
}

/**
 * The session of a streaming call, or undefined after failing the call. The call ends when
 * the session does, and `release` runs exactly once when the call is over either way.
 */
export function bindStreamToSession(registry: SessionRegistry, call: AnyStreamCall, release: () => void): Session | undefined {
  const session = sessionOf(registry, call);
  if (!session) {
    failStream(call, grpc.status.FAILED_PRECONDITION, NO_SESSION);
    return undefined;
  }
  let released = false;
  const releaseOnce = (): void => {
    if (released) return;
    released = true;
    removeHook();
    release();
  };
  const removeHook = session.onClose(() => {
    releaseOnce();
    failStream(call, grpc.status.CANCELLED, "The session ended.");
  });
  call.on("cancelled", releaseOnce);
  call.on("close", releaseOnce);
  call.on("finish", releaseOnce);
  return session;
}

/** Wraps a unary handler: it gets the session, and a thrown typed error becomes a status. */
export function unary<Req, Res>(
  registry: SessionRegistry,
  handler: (request: Req, session: Session) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const session = sessionOf(registry, call);
    if (!session) {
      callback(statusError(grpc.status.FAILED_PRECONDITION, NO_SESSION));
      return;
    }
    handler(call.request, session).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toServiceError(error)),
    );
  };
}

/** A failure a handler reports with its own gRPC status. */
export class CallError extends Error {
  override readonly name = "CallError";
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

function toServiceError(error: unknown): grpc.ServiceError {
  if (error instanceof CallError) return statusError(error.code, error.message);
  return statusError(grpc.status.INTERNAL, `agent bug: ${(error as Error)?.stack ?? String(error)}`);
}

/** An errno-style failure for the wire. */
export function ioError(error: unknown): IoError {
  const e = error as NodeJS.ErrnoException;
  return { code: e?.code ?? "EIO", message: e?.message ?? String(error) };
}
