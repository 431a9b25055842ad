// Original file: proto/mirrord/agent/v1/agent.proto

import type { DirEntry as _mirrord_agent_v1_DirEntry, DirEntry__Output as _mirrord_agent_v1_DirEntry__Output } from '../../../mirrord/agent/v1/DirEntry.js';
import type { IoError as _mirrord_agent_v1_IoError, IoError__Output as _mirrord_agent_v1_IoError__Output } from '../../../mirrord/agent/v1/IoError.js';

export interface ReadDirResponse {
  'entries'?: (_mirrord_agent_v1_DirEntry)[];
  'error'?: (_mirrord_agent_v1_IoError | null);
}

export interface ReadDirResponse__Output {
  'entries': (_mirrord_agent_v1_DirEntry__Output)[];
  'error': (_mirrord_agent_v1_IoError__Output | null);
}
