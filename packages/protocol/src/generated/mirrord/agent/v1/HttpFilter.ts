// Original file: proto/mirrord/agent/v1/agent.proto


export interface HttpFilter {
  'headerRegex'?: (string);
  'pathRegex'?: (string);
}

export interface HttpFilter__Output {
  'headerRegex': (string);
  'pathRegex': (string);
}
