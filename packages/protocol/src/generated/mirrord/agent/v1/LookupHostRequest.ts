// Original file: proto/mirrord/agent/v1/agent.proto

import type { AddressFamily as _mirrord_agent_v1_AddressFamily, AddressFamily__Output as _mirrord_agent_v1_AddressFamily__Output } from '../../../mirrord/agent/v1/AddressFamily.js';

export interface LookupHostRequest {
  'name'?: (string);
  'family'?: (_mirrord_agent_v1_AddressFamily);
}

export interface LookupHostRequest__Output {
  'name': (string);
  'family': (_mirrord_agent_v1_AddressFamily__Output);
}
