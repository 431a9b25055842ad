// Original file: proto/mirrord/agent/v1/agent.proto

import type { EnvVar as _mirrord_agent_v1_EnvVar, EnvVar__Output as _mirrord_agent_v1_EnvVar__Output } from '../../../mirrord/agent/v1/EnvVar.js';

export interface GetEnvResponse {
  'vars'?: (_mirrord_agent_v1_EnvVar)[];
}

export interface GetEnvResponse__Output {
  'vars': (_mirrord_agent_v1_EnvVar__Output)[];
}
