// Original file: proto/mirrord/agent/v1/agent.proto


export interface AgentHello {
  'protocolVersion'?: (string);
  'agentId'?: (string);
  'sessionId'?: (string);
  'communicationTimeoutMs'?: (number);
  'targetPid'?: (number);
}

export interface AgentHello__Output {
  'protocolVersion': (string);
  'agentId': (string);
  'sessionId': (string);
  'communicationTimeoutMs': (number);
  'targetPid': (number);
}
