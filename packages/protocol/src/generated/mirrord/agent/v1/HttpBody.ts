// Original file: proto/mirrord/agent/v1/agent.proto

import type { HttpHeader as _mirrord_agent_v1_HttpHeader, HttpHeader__Output as _mirrord_agent_v1_HttpHeader__Output } from '../../../mirrord/agent/v1/HttpHeader.js';
import type { Long } from '@grpc/proto-loader';

export interface HttpBody {
  'requestId'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
  'end'?: (boolean);
  'trailers'?: (_mirrord_agent_v1_HttpHeader)[];
}

export interface HttpBody__Output {
  'requestId': (number);
  'data': (Buffer);
  'end': (boolean);
  'trailers': (_mirrord_agent_v1_HttpHeader__Output)[];
}
