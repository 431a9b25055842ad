// Original file: proto/mirrord/agent/v1/agent.proto

import type { SocketAddress as _mirrord_agent_v1_SocketAddress, SocketAddress__Output as _mirrord_agent_v1_SocketAddress__Output } from '../../../mirrord/agent/v1/SocketAddress.js';

export interface UdpBound {
  'local'?: (_mirrord_agent_v1_SocketAddress | null);
}

export interface UdpBound__Output {
  'local': (_mirrord_agent_v1_SocketAddress__Output | null);
}
