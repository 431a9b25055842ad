// Original file: proto/mirrord/agent/v1/agent.proto

import type { HttpHeader as _mirrord_agent_v1_HttpHeader, HttpHeader__Output as _mirrord_agent_v1_HttpHeader__Output } from '../../../mirrord/agent/v1/HttpHeader.js';
import type { Long } from '@grpc/proto-loader';

export interface HttpResponse {
  'requestId'?: (number | string | Long);
  'status'?: (number);
  'headers'?: (_mirrord_agent_v1_HttpHeader)[];
  'body'?: (Buffer | Uint8Array | string);
  'trailers'?: (_mirrord_agent_v1_HttpHeader)[];
  'bodyStreamed'?: (boolean);
}

export interface HttpResponse__Output {
  'requestId': (number);
  'status': (number);
  'headers': (_mirrord_agent_v1_HttpHeader__Output)[];
  'body': (Buffer);
  'trailers': (_mirrord_agent_v1_HttpHeader__Output)[];
  'bodyStreamed': (boolean);
}
