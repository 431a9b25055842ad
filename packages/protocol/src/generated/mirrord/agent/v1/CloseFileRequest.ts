// Original file: proto/mirrord/agent/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface CloseFileRequest {
  'handle'?: (number | string | Long);
}

export interface CloseFileRequest__Output {
  'handle': (number);
}
