// Original file: proto/mirrord/agent/v1/agent.proto


export interface TcpShutdown {
}

export interface TcpShutdown__Output {
}
