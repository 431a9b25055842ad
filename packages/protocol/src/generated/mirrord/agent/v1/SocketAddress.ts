// Original file: proto/mirrord/agent/v1/agent.proto


export interface SocketAddress {
  'ip'?: (string);
  'port'?: (number);
}

export interface SocketAddress__Output {
  'ip': (string);
  'port': (number);
}
