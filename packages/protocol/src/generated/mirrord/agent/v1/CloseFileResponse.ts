// Original file: proto/mirrord/agent/v1/agent.proto


export interface CloseFileResponse {
}

export interface CloseFileResponse__Output {
}
