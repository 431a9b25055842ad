// Original file: proto/mirrord/agent/v1/agent.proto

import type { StealSubscribed as _mirrord_agent_v1_StealSubscribed, StealSubscribed__Output as _mirrord_agent_v1_StealSubscribed__Output } from '../../../mirrord/agent/v1/StealSubscribed.js';
import type { HttpRequest as _mirrord_agent_v1_HttpRequest, HttpRequest__Output as _mirrord_agent_v1_HttpRequest__Output } from '../../../mirrord/agent/v1/HttpRequest.js';
import type { IncomingConnection as _mirrord_agent_v1_IncomingConnection, IncomingConnection__Output as _mirrord_agent_v1_IncomingConnection__Output } from '../../../mirrord/agent/v1/IncomingConnection.js';
import type { ConnectionData as _mirrord_agent_v1_ConnectionData, ConnectionData__Output as _mirrord_agent_v1_ConnectionData__Output } from '../../../mirrord/agent/v1/ConnectionData.js';
import type { ConnectionClosed as _mirrord_agent_v1_ConnectionClosed, ConnectionClosed__Output as _mirrord_agent_v1_ConnectionClosed__Output } from '../../../mirrord/agent/v1/ConnectionClosed.js';
import type { HttpBody as _mirrord_agent_v1_HttpBody, HttpBody__Output as _mirrord_agent_v1_HttpBody__Output } from '../../../mirrord/agent/v1/HttpBody.js';

export interface StealAgentMessage {
  'subscribed'?: (_mirrord_agent_v1_StealSubscribed | null);
  'httpRequest'?: (_mirrord_agent_v1_HttpRequest | null);
  'connection'?: (_mirrord_agent_v1_IncomingConnection | null);
  'data'?: (_mirrord_agent_v1_ConnectionData | null);
  'closed'?: (_mirrord_agent_v1_ConnectionClosed | null);
  'httpBody'?: (_mirrord_agent_v1_HttpBody | null);
  'message'?: "subscribed"|"httpRequest"|"connection"|"data"|"closed"|"httpBody";
}

export interface StealAgentMessage__Output {
  'subscribed'?: (_mirrord_agent_v1_StealSubscribed__Output | null);
  'httpRequest'?: (_mirrord_agent_v1_HttpRequest__Output | null);
  'connection'?: (_mirrord_agent_v1_IncomingConnection__Output | null);
  'data'?: (_mirrord_agent_v1_ConnectionData__Output | null);
  'closed'?: (_mirrord_agent_v1_ConnectionClosed__Output | null);
  'httpBody'?: (_mirrord_agent_v1_HttpBody__Output | null);
  'message'?: "subscribed"|"httpRequest"|"connection"|"data"|"closed"|"httpBody";
}
