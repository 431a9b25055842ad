// Original file: proto/mirrord/agent/v1/agent.proto

import type { TcpConnectRequest as _mirrord_agent_v1_TcpConnectRequest, TcpConnectRequest__Output as _mirrord_agent_v1_TcpConnectRequest__Output } from '../../../mirrord/agent/v1/TcpConnectRequest.js';
import type { TcpShutdown as _mirrord_agent_v1_TcpShutdown, TcpShutdown__Output as _mirrord_agent_v1_TcpShutdown__Output } from '../../../mirrord/agent/v1/TcpShutdown.js';

export interface TcpClientMessage {
  'connect'?: (_mirrord_agent_v1_TcpConnectRequest | null);
  'data'?: (Buffer | Uint8Array | string);
  'shutdown'?: (_mirrord_agent_v1_TcpShutdown | null);
  'message'?: "connect"|"data"|"shutdown";
}

export interface TcpClientMessage__Output {
  'connect'?: (_mirrord_agent_v1_TcpConnectRequest__Output | null);
  'data'?: (Buffer);
  'shutdown'?: (_mirrord_agent_v1_TcpShutdown__Output | null);
  'message'?: "connect"|"data"|"shutdown";
}
