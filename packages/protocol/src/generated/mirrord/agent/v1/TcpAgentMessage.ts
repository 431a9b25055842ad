// Original file: proto/mirrord/agent/v1/agent.proto

import type { TcpConnected as _mirrord_agent_v1_TcpConnected, TcpConnected__Output as _mirrord_agent_v1_TcpConnected__Output } from '../../../mirrord/agent/v1/TcpConnected.js';
import type { TcpShutdown as _mirrord_agent_v1_TcpShutdown, TcpShutdown__Output as _mirrord_agent_v1_TcpShutdown__Output } from '../../../mirrord/agent/v1/TcpShutdown.js';
import type { IoError as _mirrord_agent_v1_IoError, IoError__Output as _mirrord_agent_v1_IoError__Output } from '../../../mirrord/agent/v1/IoError.js';

export interface TcpAgentMessage {
  'connected'?: (_mirrord_agent_v1_TcpConnected | null);
  'data'?: (Buffer | Uint8Array | string);
  'shutdown'?: (_mirrord_agent_v1_TcpShutdown | null);
  'error'?: (_mirrord_agent_v1_IoError | null);
  'message'?: "connected"|"data"|"shutdown"|"error";
}

export interface TcpAgentMessage__Output {
  'connected'?: (_mirrord_agent_v1_TcpConnected__Output | null);
  'data'?: (Buffer);
  'shutdown'?: (_mirrord_agent_v1_TcpShutdown__Output | null);
  'error'?: (_mirrord_agent_v1_IoError__Output | null);
  'message'?: "connected"|"data"|"shutdown"|"error";
}
