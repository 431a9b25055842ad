// Original file: proto/mirrord/agent/v1/agent.proto

import type { HttpFilter as _mirrord_agent_v1_HttpFilter, HttpFilter__Output as _mirrord_agent_v1_HttpFilter__Output } from '../../../mirrord/agent/v1/HttpFilter.js';

export interface StealSubscribe {
  'port'?: (number);
  'httpFilter'?: (_mirrord_agent_v1_HttpFilter | null);
  'streamBodies'?: (boolean);
}

export interface StealSubscribe__Output {
  'port': (number);
  'httpFilter': (_mirrord_agent_v1_HttpFilter__Output | null);
  'streamBodies': (boolean);
}
