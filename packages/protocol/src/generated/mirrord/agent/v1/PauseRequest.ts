// Original file: proto/mirrord/agent/v1/agent.proto


export interface PauseRequest {
  'paused'?: (boolean);
}

export interface PauseRequest__Output {
  'paused': (boolean);
}
