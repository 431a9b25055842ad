// Original file: proto/mirrord/agent/v1/agent.proto

import type { SocketAddress as _mirrord_agent_v1_SocketAddress, SocketAddress__Output as _mirrord_agent_v1_SocketAddress__Output } from '../../../mirrord/agent/v1/SocketAddress.js';
import type { Long } from '@grpc/proto-loader';

export interface IncomingConnection {
  'connectionId'?: (number | string | Long);
  'remote'?: (_mirrord_agent_v1_SocketAddress | null);
  'local'?: (_mirrord_agent_v1_SocketAddress | null);
}

export interface IncomingConnection__Output {
  'connectionId': (number);
  'remote': (_mirrord_agent_v1_SocketAddress__Output | null);
  'local': (_mirrord_agent_v1_SocketAddress__Output | null);
}
