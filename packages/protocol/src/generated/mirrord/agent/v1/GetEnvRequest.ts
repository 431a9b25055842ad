// Original file: proto/mirrord/agent/v1/agent.proto


export interface GetEnvRequest {
}

export interface GetEnvRequest__Output {
}
