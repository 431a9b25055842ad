// Original file: proto/mirrord/agent/v1/agent.proto

import type { UdpBound as _mirrord_agent_v1_UdpBound, UdpBound__Output as _mirrord_agent_v1_UdpBound__Output } from '../../../mirrord/agent/v1/UdpBound.js';
import type { UdpDatagram as _mirrord_agent_v1_UdpDatagram, UdpDatagram__Output as _mirrord_agent_v1_UdpDatagram__Output } from '../../../mirrord/agent/v1/UdpDatagram.js';
import type { IoError as _mirrord_agent_v1_IoError, IoError__Output as _mirrord_agent_v1_IoError__Output } from '../../../mirrord/agent/v1/IoError.js';

export interface UdpAgentMessage {
  'bound'?: (_mirrord_agent_v1_UdpBound | null);
  'datagram'?: (_mirrord_agent_v1_UdpDatagram | null);
  'error'?: (_mirrord_agent_v1_IoError | null);
  'message'?: "bound"|"datagram"|"error";
}

export interface UdpAgentMessage__Output {
  'bound'?: (_mirrord_agent_v1_UdpBound__Output | null);
  'datagram'?: (_mirrord_agent_v1_UdpDatagram__Output | null);
  'error'?: (_mirrord_agent_v1_IoError__Output | null);
  'message'?: "bound"|"datagram"|"error";
}
