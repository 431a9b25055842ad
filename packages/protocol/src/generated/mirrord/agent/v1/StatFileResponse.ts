// Original file: proto/mirrord/agent/v1/agent.proto

import type { FileStat as _mirrord_agent_v1_FileStat, FileStat__Output as _mirrord_agent_v1_FileStat__Output } from '../../../mirrord/agent/v1/FileStat.js';
import type { IoError as _mirrord_agent_v1_IoError, IoError__Output as _mirrord_agent_v1_IoError__Output } from '../../../mirrord/agent/v1/IoError.js';

export interface StatFileResponse {
  'stat'?: (_mirrord_agent_v1_FileStat | null);
  'error'?: (_mirrord_agent_v1_IoError | null);
}

export interface StatFileResponse__Output {
  'stat': (_mirrord_agent_v1_FileStat__Output | null);
  'error': (_mirrord_agent_v1_IoError__Output | null);
}
