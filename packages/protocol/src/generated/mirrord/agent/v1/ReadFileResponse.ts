// Original file: proto/mirrord/agent/v1/agent.proto

import type { IoError as _mirrord_agent_v1_IoError, IoError__Output as _mirrord_agent_v1_IoError__Output } from '../../../mirrord/agent/v1/IoError.js';

export interface ReadFileResponse {
  'data'?: (Buffer | Uint8Array | string);
  'eof'?: (boolean);
  'error'?: (_mirrord_agent_v1_IoError | null);
}

export interface ReadFileResponse__Output {
  'data': (Buffer);
  'eof': (boolean);
  'error': (_mirrord_agent_v1_IoError__Output | null);
}
