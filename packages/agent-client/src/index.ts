export { AgentConnection, AgentUdpSocket, StealHandle, type ConnectOptions, type StealHandlers, type StolenConnection } from "./client.js";
export { AgentTcpStream } from "./tcp-stream.js";
export { AgentCallError, AgentHandshakeError } from "./errors.js";
