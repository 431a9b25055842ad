// Original file: proto/mirrord/agent/v1/agent.proto

import type { IoError as _mirrord_agent_v1_IoError, IoError__Output as _mirrord_agent_v1_IoError__Output } from '../../../mirrord/agent/v1/IoError.js';

export interface ReadLinkResponse {
  'target'?: (string);
  'error'?: (_mirrord_agent_v1_IoError | null);
}

export interface ReadLinkResponse__Output {
  'target': (string);
  'error': (_mirrord_agent_v1_IoError__Output | null);
}
