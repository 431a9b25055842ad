// Original file: proto/mirrord/agent/v1/agent.proto

import type { StealSubscribe as _mirrord_agent_v1_StealSubscribe, StealSubscribe__Output as _mirrord_agent_v1_StealSubscribe__Output } from '../../../mirrord/agent/v1/StealSubscribe.js';
import type { HttpResponse as _mirrord_agent_v1_HttpResponse, HttpResponse__Output as _mirrord_agent_v1_HttpResponse__Output } from '../../../mirrord/agent/v1/HttpResponse.js';
import type { ConnectionData as _mirrord_agent_v1_ConnectionData, ConnectionData__Output as _mirrord_agent_v1_ConnectionData__Output } from '../../../mirrord/agent/v1/ConnectionData.js';
import type { ConnectionClosed as _mirrord_agent_v1_ConnectionClosed, ConnectionClosed__Output as _mirrord_agent_v1_ConnectionClosed__Output } from '../../../mirrord/agent/v1/ConnectionClosed.js';
import type { HttpBody as _mirrord_agent_v1_HttpBody, HttpBody__Output as _mirrord_agent_v1_HttpBody__Output } from '../../../mirrord/agent/v1/HttpBody.js';

export interface StealClientMessage {
  'subscribe'?: (_mirrord_agent_v1_StealSubscribe | null);
  'httpResponse'?: (_mirrord_agent_v1_HttpResponse | null);
  'data'?: (_mirrord_agent_v1_ConnectionData | null);
  'close'?: (_mirrord_agent_v1_ConnectionClosed | null);
  'httpBody'?: (_mirrord_agent_v1_HttpBody | null);
  'message'?: "subscribe"|"httpResponse"|"data"|"close"|"httpBody";
}

export interface StealClientMessage__Output {
  'subscribe'?: (_mirrord_agent_v1_StealSubscribe__Output | null);
  'httpResponse'?: (_mirrord_agent_v1_HttpResponse__Output | null);
  'data'?: (_mirrord_agent_v1_ConnectionData__Output | null);
  'close'?: (_mirrord_agent_v1_ConnectionClosed__Output | null);
  'httpBody'?: (_mirrord_agent_v1_HttpBody__Output | null);
  'message'?: "subscribe"|"httpResponse"|"data"|"close"|"httpBody";
}
