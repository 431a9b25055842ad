// Original file: proto/mirrord/agent/v1/agent.proto

import type { HttpFilter as _mirrord_agent_v1_HttpFilter, HttpFilter__Output as _mirrord_agent_v1_HttpFilter__Output } from '../../../mirrord/agent/v1/HttpFilter.js';

export interface MirrorRequest {
  'port'?: (number);
  'httpFilter'?: (_mirrord_agent_v1_HttpFilter | null);
}

export interface MirrorRequest__Output {
  'port': (number);
  'httpFilter': (_mirrord_agent_v1_HttpFilter__Output | null);
}
