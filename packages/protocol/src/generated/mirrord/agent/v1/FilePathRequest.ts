// Original file: proto/mirrord/agent/v1/agent.proto


export interface FilePathRequest {
  'path'?: (string);
}

export interface FilePathRequest__Output {
  'path': (string);
}
