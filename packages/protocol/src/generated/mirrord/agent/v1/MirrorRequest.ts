// Original file: proto/mirrord/agent/v1/agent.proto


export interface MirrorRequest {
  'port'?: (number);
}

export interface MirrorRequest__Output {
  'port': (number);
}
