// Original file: proto/mirrord/agent/v1/agent.proto

import type { UdpBind as _mirrord_agent_v1_UdpBind, UdpBind__Output as _mirrord_agent_v1_UdpBind__Output } from '../../../mirrord/agent/v1/UdpBind.js';
import type { UdpDatagram as _mirrord_agent_v1_UdpDatagram, UdpDatagram__Output as _mirrord_agent_v1_UdpDatagram__Output } from '../../../mirrord/agent/v1/UdpDatagram.js';

export interface UdpClientMessage {
  'bind'?: (_mirrord_agent_v1_UdpBind | null);
  'datagram'?: (_mirrord_agent_v1_UdpDatagram | null);
  'message'?: "bind"|"datagram";
}

export interface UdpClientMessage__Output {
  'bind'?: (_mirrord_agent_v1_UdpBind__Output | null);
  'datagram'?: (_mirrord_agent_v1_UdpDatagram__Output | null);
  'message'?: "bind"|"datagram";
}
