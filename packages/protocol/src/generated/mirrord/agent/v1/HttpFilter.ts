// Original file: proto/mirrord/agent/v1/agent.proto

import type { HttpFilter as _mirrord_agent_v1_HttpFilter, HttpFilter__Output as _mirrord_agent_v1_HttpFilter__Output } from '../../../mirrord/agent/v1/HttpFilter.js';

export interface HttpFilter {
  'headerRegex'?: (string);
  'pathRegex'?: (string);
  'method'?: (string);
  'allOf'?: (_mirrord_agent_v1_HttpFilter)[];
  'anyOf'?: (_mirrord_agent_v1_HttpFilter)[];
}

export interface HttpFilter__Output {
  'headerRegex': (string);
  'pathRegex': (string);
  'method': (string);
  'allOf': (_mirrord_agent_v1_HttpFilter__Output)[];
  'anyOf': (_mirrord_agent_v1_HttpFilter__Output)[];
}
