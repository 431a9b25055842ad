// Original file: proto/mirrord/agent/v1/agent.proto

import type { SocketAddress as _mirrord_agent_v1_SocketAddress, SocketAddress__Output as _mirrord_agent_v1_SocketAddress__Output } from '../../../mirrord/agent/v1/SocketAddress.js';

export interface TcpConnectRequest {
  'remote'?: (_mirrord_agent_v1_SocketAddress | null);
  'timeoutMs'?: (number);
}

export interface TcpConnectRequest__Output {
  'remote': (_mirrord_agent_v1_SocketAddress__Output | null);
  'timeoutMs': (number);
}
