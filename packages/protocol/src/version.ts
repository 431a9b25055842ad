/**
 * The protocol version both sides send first (ClientHello / AgentHello). Bump it with any
 * change to proto/ that an older peer could misread; peers must match exactly.
 */
export const PROTOCOL_VERSION = "1.0.0";

/** The two sides speak different protocol versions. */
export class ProtocolVersionMismatchError extends Error {
  override readonly name = "ProtocolVersionMismatchError";
  constructor(
    readonly clientVersion: string,
    readonly agentVersion: string,
  ) {
    super(versionMismatchSentence(clientVersion, agentVersion));
  }
}

/** The one sentence a user sees when the session and the agent disagree. */
export function versionMismatchSentence(clientVersion: string, agentVersion: string): string {
  return (
    `The mirrord agent speaks protocol ${agentVersion || "(none)"} but this client speaks protocol ` +
    `${clientVersion || "(none)"}; use an agent image built from the same mirrord-ts release as the client.`
  );
}

/** Throws ProtocolVersionMismatchError unless the versions are equal. */
export function checkProtocolVersion(clientVersion: string, agentVersion: string): void {
  if (clientVersion !== agentVersion) throw new ProtocolVersionMismatchError(clientVersion, agentVersion);
}
