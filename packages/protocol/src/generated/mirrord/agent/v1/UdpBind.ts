// Original file: proto/mirrord/agent/v1/agent.proto

import type { AddressFamily as _mirrord_agent_v1_AddressFamily, AddressFamily__Output as _mirrord_agent_v1_AddressFamily__Output } from '../../../mirrord/agent/v1/AddressFamily.js';

export interface UdpBind {
  'family'?: (_mirrord_agent_v1_AddressFamily);
  'localPort'?: (number);
}

export interface UdpBind__Output {
  'family': (_mirrord_agent_v1_AddressFamily__Output);
  'localPort': (number);
}
