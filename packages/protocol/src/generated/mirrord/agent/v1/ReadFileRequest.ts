// Original file: proto/mirrord/agent/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface ReadFileRequest {
  'handle'?: (number | string | Long);
  'offset'?: (number | string | Long);
  'length'?: (number);
}

export interface ReadFileRequest__Output {
  'handle': (number);
  'offset': (number);
  'length': (number);
}
