// Original file: proto/mirrord/agent/v1/agent.proto

import type { AgentHello as _mirrord_agent_v1_AgentHello, AgentHello__Output as _mirrord_agent_v1_AgentHello__Output } from '../../../mirrord/agent/v1/AgentHello.js';
import type { Pong as _mirrord_agent_v1_Pong, Pong__Output as _mirrord_agent_v1_Pong__Output } from '../../../mirrord/agent/v1/Pong.js';

export interface SessionAgentMessage {
  'hello'?: (_mirrord_agent_v1_AgentHello | null);
  'pong'?: (_mirrord_agent_v1_Pong | null);
  'message'?: "hello"|"pong";
}

export interface SessionAgentMessage__Output {
  'hello'?: (_mirrord_agent_v1_AgentHello__Output | null);
  'pong'?: (_mirrord_agent_v1_Pong__Output | null);
  'message'?: "hello"|"pong";
}
