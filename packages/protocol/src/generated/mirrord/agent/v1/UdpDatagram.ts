// Original file: proto/mirrord/agent/v1/agent.proto

import type { SocketAddress as _mirrord_agent_v1_SocketAddress, SocketAddress__Output as _mirrord_agent_v1_SocketAddress__Output } from '../../../mirrord/agent/v1/SocketAddress.js';

export interface UdpDatagram {
  'peer'?: (_mirrord_agent_v1_SocketAddress | null);
  'payload'?: (Buffer | Uint8Array | string);
}

export interface UdpDatagram__Output {
  'peer': (_mirrord_agent_v1_SocketAddress__Output | null);
  'payload': (Buffer);
}
