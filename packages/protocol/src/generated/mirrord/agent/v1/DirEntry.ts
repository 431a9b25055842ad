// Original file: proto/mirrord/agent/v1/agent.proto

import type { FileType as _mirrord_agent_v1_FileType, FileType__Output as _mirrord_agent_v1_FileType__Output } from '../../../mirrord/agent/v1/FileType.js';

export interface DirEntry {
  'name'?: (string);
  'type'?: (_mirrord_agent_v1_FileType);
}

export interface DirEntry__Output {
  'name': (string);
  'type': (_mirrord_agent_v1_FileType__Output);
}
