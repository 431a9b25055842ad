// Original file: proto/mirrord/agent/v1/agent.proto


export interface ClientHello {
  'protocolVersion'?: (string);
  'clientName'?: (string);
}

export interface ClientHello__Output {
  'protocolVersion': (string);
  'clientName': (string);
}
