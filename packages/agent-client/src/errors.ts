/** The agent refused the session (version mismatch, or a first message it did not expect). */
export class AgentHandshakeError extends Error {
  override readonly name = "AgentHandshakeError";
}

/** A call failed with a gRPC status, or an errno-style error reported in-band. */
export class AgentCallError extends Error {
  override readonly name = "AgentCallError";
  constructor(
    message: string,
    /** gRPC status code, or undefined for an in-band IoError. */
    readonly status: number | undefined,
    /** errno name (ECONNREFUSED, ENOENT, ...) for in-band errors. */
    readonly code: string | undefined,
  ) {
    super(message);
  }
}
