// Original file: proto/mirrord/agent/v1/agent.proto


export interface FilePathRequest {
  'path'?: (string);
  'noFollow'?: (boolean);
}

export interface FilePathRequest__Output {
  'path': (string);
  'noFollow': (boolean);
}
