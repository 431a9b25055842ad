// Original file: proto/mirrord/agent/v1/agent.proto

import type { HttpHeader as _mirrord_agent_v1_HttpHeader, HttpHeader__Output as _mirrord_agent_v1_HttpHeader__Output } from '../../../mirrord/agent/v1/HttpHeader.js';
import type { SocketAddress as _mirrord_agent_v1_SocketAddress, SocketAddress__Output as _mirrord_agent_v1_SocketAddress__Output } from '../../../mirrord/agent/v1/SocketAddress.js';
import type { Long } from '@grpc/proto-loader';

export interface HttpRequest {
  'requestId'?: (number | string | Long);
  'connectionId'?: (number | string | Long);
  'version'?: (string);
  'method'?: (string);
  'path'?: (string);
  'headers'?: (_mirrord_agent_v1_HttpHeader)[];
  'body'?: (Buffer | Uint8Array | string);
  'remote'?: (_mirrord_agent_v1_SocketAddress | null);
  'bodyStreamed'?: (boolean);
}

export interface HttpRequest__Output {
  'requestId': (number);
  'connectionId': (number);
  'version': (string);
  'method': (string);
  'path': (string);
  'headers': (_mirrord_agent_v1_HttpHeader__Output)[];
  'body': (Buffer);
  'remote': (_mirrord_agent_v1_SocketAddress__Output | null);
  'bodyStreamed': (boolean);
}
