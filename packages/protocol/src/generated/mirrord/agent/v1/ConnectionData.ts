// Original file: proto/mirrord/agent/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface ConnectionData {
  'connectionId'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
}

export interface ConnectionData__Output {
  'connectionId': (number);
  'data': (Buffer);
}
