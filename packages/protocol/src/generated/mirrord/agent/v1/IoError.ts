// Original file: proto/mirrord/agent/v1/agent.proto


export interface IoError {
  'code'?: (string);
  'message'?: (string);
}

export interface IoError__Output {
  'code': (string);
  'message': (string);
}
