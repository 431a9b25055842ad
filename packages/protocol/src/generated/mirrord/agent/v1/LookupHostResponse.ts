// Original file: proto/mirrord/agent/v1/agent.proto

import type { ResolvedAddress as _mirrord_agent_v1_ResolvedAddress, ResolvedAddress__Output as _mirrord_agent_v1_ResolvedAddress__Output } from '../../../mirrord/agent/v1/ResolvedAddress.js';
import type { IoError as _mirrord_agent_v1_IoError, IoError__Output as _mirrord_agent_v1_IoError__Output } from '../../../mirrord/agent/v1/IoError.js';

export interface LookupHostResponse {
  'addresses'?: (_mirrord_agent_v1_ResolvedAddress)[];
  'canonicalName'?: (string);
  'error'?: (_mirrord_agent_v1_IoError | null);
}

export interface LookupHostResponse__Output {
  'addresses': (_mirrord_agent_v1_ResolvedAddress__Output)[];
  'canonicalName': (string);
  'error': (_mirrord_agent_v1_IoError__Output | null);
}
