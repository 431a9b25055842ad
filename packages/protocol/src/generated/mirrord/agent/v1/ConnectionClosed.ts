// Original file: proto/mirrord/agent/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface ConnectionClosed {
  'connectionId'?: (number | string | Long);
}

export interface ConnectionClosed__Output {
  'connectionId': (number);
}
