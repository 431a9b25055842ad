// Original file: proto/mirrord/agent/v1/agent.proto


export interface PauseResponse {
  'paused'?: (boolean);
}

export interface PauseResponse__Output {
  'paused': (boolean);
}
