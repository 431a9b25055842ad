// Original file: proto/mirrord/agent/v1/agent.proto

import type { ClientHello as _mirrord_agent_v1_ClientHello, ClientHello__Output as _mirrord_agent_v1_ClientHello__Output } from '../../../mirrord/agent/v1/ClientHello.js';
import type { Ping as _mirrord_agent_v1_Ping, Ping__Output as _mirrord_agent_v1_Ping__Output } from '../../../mirrord/agent/v1/Ping.js';

export interface SessionClientMessage {
  'hello'?: (_mirrord_agent_v1_ClientHello | null);
  'ping'?: (_mirrord_agent_v1_Ping | null);
  'message'?: "hello"|"ping";
}

export interface SessionClientMessage__Output {
  'hello'?: (_mirrord_agent_v1_ClientHello__Output | null);
  'ping'?: (_mirrord_agent_v1_Ping__Output | null);
  'message'?: "hello"|"ping";
}
