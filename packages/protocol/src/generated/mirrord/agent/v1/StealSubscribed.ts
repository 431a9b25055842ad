// Original file: proto/mirrord/agent/v1/agent.proto


export interface StealSubscribed {
  'port'?: (number);
}

export interface StealSubscribed__Output {
  'port': (number);
}
