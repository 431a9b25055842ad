// Original file: proto/mirrord/agent/v1/agent.proto

import type { FileType as _mirrord_agent_v1_FileType, FileType__Output as _mirrord_agent_v1_FileType__Output } from '../../../mirrord/agent/v1/FileType.js';
import type { Long } from '@grpc/proto-loader';

export interface FileStat {
  'type'?: (_mirrord_agent_v1_FileType);
  'size'?: (number | string | Long);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  'mtimeMs'?: (number | string | Long);
  'inode'?: (number | string | Long);
}

export interface FileStat__Output {
  'type': (_mirrord_agent_v1_FileType__Output);
  'size': (number);
  'mode': (number);
  'uid': (number);
  'gid': (number);
  'mtimeMs': (number);
  'inode': (number);
}
