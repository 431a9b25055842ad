// Original file: proto/mirrord/agent/v1/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CloseFileRequest as _mirrord_agent_v1_CloseFileRequest, CloseFileRequest__Output as _mirrord_agent_v1_CloseFileRequest__Output } from '../../../mirrord/agent/v1/CloseFileRequest.js';
import type { CloseFileResponse as _mirrord_agent_v1_CloseFileResponse, CloseFileResponse__Output as _mirrord_agent_v1_CloseFileResponse__Output } from '../../../mirrord/agent/v1/CloseFileResponse.js';
import type { FilePathRequest as _mirrord_agent_v1_FilePathRequest, FilePathRequest__Output as _mirrord_agent_v1_FilePathRequest__Output } from '../../../mirrord/agent/v1/FilePathRequest.js';
import type { GetEnvRequest as _mirrord_agent_v1_GetEnvRequest, GetEnvRequest__Output as _mirrord_agent_v1_GetEnvRequest__Output } from '../../../mirrord/agent/v1/GetEnvRequest.js';
import type { GetEnvResponse as _mirrord_agent_v1_GetEnvResponse, GetEnvResponse__Output as _mirrord_agent_v1_GetEnvResponse__Output } from '../../../mirrord/agent/v1/GetEnvResponse.js';
import type { LookupHostRequest as _mirrord_agent_v1_LookupHostRequest, LookupHostRequest__Output as _mirrord_agent_v1_LookupHostRequest__Output } from '../../../mirrord/agent/v1/LookupHostRequest.js';
import type { LookupHostResponse as _mirrord_agent_v1_LookupHostResponse, LookupHostResponse__Output as _mirrord_agent_v1_LookupHostResponse__Output } from '../../../mirrord/agent/v1/LookupHostResponse.js';
import type { MirrorAgentMessage as _mirrord_agent_v1_MirrorAgentMessage, MirrorAgentMessage__Output as _mirrord_agent_v1_MirrorAgentMessage__Output } from '../../../mirrord/agent/v1/MirrorAgentMessage.js';
import type { MirrorRequest as _mirrord_agent_v1_MirrorRequest, MirrorRequest__Output as _mirrord_agent_v1_MirrorRequest__Output } from '../../../mirrord/agent/v1/MirrorRequest.js';
import type { OpenFileResponse as _mirrord_agent_v1_OpenFileResponse, OpenFileResponse__Output as _mirrord_agent_v1_OpenFileResponse__Output } from '../../../mirrord/agent/v1/OpenFileResponse.js';
import type { PauseRequest as _mirrord_agent_v1_PauseRequest, PauseRequest__Output as _mirrord_agent_v1_PauseRequest__Output } from '../../../mirrord/agent/v1/PauseRequest.js';
import type { PauseResponse as _mirrord_agent_v1_PauseResponse, PauseResponse__Output as _mirrord_agent_v1_PauseResponse__Output } from '../../../mirrord/agent/v1/PauseResponse.js';
import type { ReadDirResponse as _mirrord_agent_v1_ReadDirResponse, ReadDirResponse__Output as _mirrord_agent_v1_ReadDirResponse__Output } from '../../../mirrord/agent/v1/ReadDirResponse.js';
import type { ReadFileRequest as _mirrord_agent_v1_ReadFileRequest, ReadFileRequest__Output as _mirrord_agent_v1_ReadFileRequest__Output } from '../../../mirrord/agent/v1/ReadFileRequest.js';
import type { ReadFileResponse as _mirrord_agent_v1_ReadFileResponse, ReadFileResponse__Output as _mirrord_agent_v1_ReadFileResponse__Output } from '../../../mirrord/agent/v1/ReadFileResponse.js';
import type { ReadLinkResponse as _mirrord_agent_v1_ReadLinkResponse, ReadLinkResponse__Output as _mirrord_agent_v1_ReadLinkResponse__Output } from '../../../mirrord/agent/v1/ReadLinkResponse.js';
import type { SessionAgentMessage as _mirrord_agent_v1_SessionAgentMessage, SessionAgentMessage__Output as _mirrord_agent_v1_SessionAgentMessage__Output } from '../../../mirrord/agent/v1/SessionAgentMessage.js';
import type { SessionClientMessage as _mirrord_agent_v1_SessionClientMessage, SessionClientMessage__Output as _mirrord_agent_v1_SessionClientMessage__Output } from '../../../mirrord/agent/v1/SessionClientMessage.js';
import type { StatFileResponse as _mirrord_agent_v1_StatFileResponse, StatFileResponse__Output as _mirrord_agent_v1_StatFileResponse__Output } from '../../../mirrord/agent/v1/StatFileResponse.js';
import type { StealAgentMessage as _mirrord_agent_v1_StealAgentMessage, StealAgentMessage__Output as _mirrord_agent_v1_StealAgentMessage__Output } from '../../../mirrord/agent/v1/StealAgentMessage.js';
import type { StealClientMessage as _mirrord_agent_v1_StealClientMessage, StealClientMessage__Output as _mirrord_agent_v1_StealClientMessage__Output } from '../../../mirrord/agent/v1/StealClientMessage.js';
import type { TcpAgentMessage as _mirrord_agent_v1_TcpAgentMessage, TcpAgentMessage__Output as _mirrord_agent_v1_TcpAgentMessage__Output } from '../../../mirrord/agent/v1/TcpAgentMessage.js';
import type { TcpClientMessage as _mirrord_agent_v1_TcpClientMessage, TcpClientMessage__Output as _mirrord_agent_v1_TcpClientMessage__Output } from '../../../mirrord/agent/v1/TcpClientMessage.js';
import type { UdpAgentMessage as _mirrord_agent_v1_UdpAgentMessage, UdpAgentMessage__Output as _mirrord_agent_v1_UdpAgentMessage__Output } from '../../../mirrord/agent/v1/UdpAgentMessage.js';
import type { UdpClientMessage as _mirrord_agent_v1_UdpClientMessage, UdpClientMessage__Output as _mirrord_agent_v1_UdpClientMessage__Output } from '../../../mirrord/agent/v1/UdpClientMessage.js';

export interface AgentClient extends grpc.Client {
  CloseFile(argument: _mirrord_agent_v1_CloseFileRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_CloseFileResponse__Output>): grpc.ClientUnaryCall;
  CloseFile(argument: _mirrord_agent_v1_CloseFileRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_CloseFileResponse__Output>): grpc.ClientUnaryCall;
  CloseFile(argument: _mirrord_agent_v1_CloseFileRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_CloseFileResponse__Output>): grpc.ClientUnaryCall;
  CloseFile(argument: _mirrord_agent_v1_CloseFileRequest, callback: grpc.requestCallback<_mirrord_agent_v1_CloseFileResponse__Output>): grpc.ClientUnaryCall;
  closeFile(argument: _mirrord_agent_v1_CloseFileRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_CloseFileResponse__Output>): grpc.ClientUnaryCall;
  closeFile(argument: _mirrord_agent_v1_CloseFileRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_CloseFileResponse__Output>): grpc.ClientUnaryCall;
  closeFile(argument: _mirrord_agent_v1_CloseFileRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_CloseFileResponse__Output>): grpc.ClientUnaryCall;
  closeFile(argument: _mirrord_agent_v1_CloseFileRequest, callback: grpc.requestCallback<_mirrord_agent_v1_CloseFileResponse__Output>): grpc.ClientUnaryCall;
  
  ConnectTcp(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_TcpClientMessage, _mirrord_agent_v1_TcpAgentMessage__Output>;
  ConnectTcp(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_TcpClientMessage, _mirrord_agent_v1_TcpAgentMessage__Output>;
  connectTcp(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_TcpClientMessage, _mirrord_agent_v1_TcpAgentMessage__Output>;
  connectTcp(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_TcpClientMessage, _mirrord_agent_v1_TcpAgentMessage__Output>;
  
  GetEnv(argument: _mirrord_agent_v1_GetEnvRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_GetEnvResponse__Output>): grpc.ClientUnaryCall;
  GetEnv(argument: _mirrord_agent_v1_GetEnvRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_GetEnvResponse__Output>): grpc.ClientUnaryCall;
  GetEnv(argument: _mirrord_agent_v1_GetEnvRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_GetEnvResponse__Output>): grpc.ClientUnaryCall;
  GetEnv(argument: _mirrord_agent_v1_GetEnvRequest, callback: grpc.requestCallback<_mirrord_agent_v1_GetEnvResponse__Output>): grpc.ClientUnaryCall;
  getEnv(argument: _mirrord_agent_v1_GetEnvRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_GetEnvResponse__Output>): grpc.ClientUnaryCall;
  getEnv(argument: _mirrord_agent_v1_GetEnvRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_GetEnvResponse__Output>): grpc.ClientUnaryCall;
  getEnv(argument: _mirrord_agent_v1_GetEnvRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_GetEnvResponse__Output>): grpc.ClientUnaryCall;
  getEnv(argument: _mirrord_agent_v1_GetEnvRequest, callback: grpc.requestCallback<_mirrord_agent_v1_GetEnvResponse__Output>): grpc.ClientUnaryCall;
  
  LookupHost(argument: _mirrord_agent_v1_LookupHostRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_LookupHostResponse__Output>): grpc.ClientUnaryCall;
  LookupHost(argument: _mirrord_agent_v1_LookupHostRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_LookupHostResponse__Output>): grpc.ClientUnaryCall;
  LookupHost(argument: _mirrord_agent_v1_LookupHostRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_LookupHostResponse__Output>): grpc.ClientUnaryCall;
  LookupHost(argument: _mirrord_agent_v1_LookupHostRequest, callback: grpc.requestCallback<_mirrord_agent_v1_LookupHostResponse__Output>): grpc.ClientUnaryCall;
  lookupHost(argument: _mirrord_agent_v1_LookupHostRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_LookupHostResponse__Output>): grpc.ClientUnaryCall;
  lookupHost(argument: _mirrord_agent_v1_LookupHostRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_LookupHostResponse__Output>): grpc.ClientUnaryCall;
  lookupHost(argument: _mirrord_agent_v1_LookupHostRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_LookupHostResponse__Output>): grpc.ClientUnaryCall;
  lookupHost(argument: _mirrord_agent_v1_LookupHostRequest, callback: grpc.requestCallback<_mirrord_agent_v1_LookupHostResponse__Output>): grpc.ClientUnaryCall;
  
  Mirror(argument: _mirrord_agent_v1_MirrorRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrord_agent_v1_MirrorAgentMessage__Output>;
  Mirror(argument: _mirrord_agent_v1_MirrorRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrord_agent_v1_MirrorAgentMessage__Output>;
  mirror(argument: _mirrord_agent_v1_MirrorRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrord_agent_v1_MirrorAgentMessage__Output>;
  mirror(argument: _mirrord_agent_v1_MirrorRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrord_agent_v1_MirrorAgentMessage__Output>;
  
  OpenFile(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_OpenFileResponse__Output>): grpc.ClientUnaryCall;
  OpenFile(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_OpenFileResponse__Output>): grpc.ClientUnaryCall;
  OpenFile(argument: _mirrord_agent_v1_FilePathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_OpenFileResponse__Output>): grpc.ClientUnaryCall;
  OpenFile(argument: _mirrord_agent_v1_FilePathRequest, callback: grpc.requestCallback<_mirrord_agent_v1_OpenFileResponse__Output>): grpc.ClientUnaryCall;
  openFile(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_OpenFileResponse__Output>): grpc.ClientUnaryCall;
  openFile(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_OpenFileResponse__Output>): grpc.ClientUnaryCall;
  openFile(argument: _mirrord_agent_v1_FilePathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_OpenFileResponse__Output>): grpc.ClientUnaryCall;
  openFile(argument: _mirrord_agent_v1_FilePathRequest, callback: grpc.requestCallback<_mirrord_agent_v1_OpenFileResponse__Output>): grpc.ClientUnaryCall;
  
  Pause(argument: _mirrord_agent_v1_PauseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  Pause(argument: _mirrord_agent_v1_PauseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  Pause(argument: _mirrord_agent_v1_PauseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  Pause(argument: _mirrord_agent_v1_PauseRequest, callback: grpc.requestCallback<_mirrord_agent_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  pause(argument: _mirrord_agent_v1_PauseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  pause(argument: _mirrord_agent_v1_PauseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  pause(argument: _mirrord_agent_v1_PauseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  pause(argument: _mirrord_agent_v1_PauseRequest, callback: grpc.requestCallback<_mirrord_agent_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  
  ReadDir(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_ReadDirResponse__Output>): grpc.ClientUnaryCall;
  ReadDir(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_ReadDirResponse__Output>): grpc.ClientUnaryCall;
  ReadDir(argument: _mirrord_agent_v1_FilePathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_ReadDirResponse__Output>): grpc.ClientUnaryCall;
  ReadDir(argument: _mirrord_agent_v1_FilePathRequest, callback: grpc.requestCallback<_mirrord_agent_v1_ReadDirResponse__Output>): grpc.ClientUnaryCall;
  readDir(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_ReadDirResponse__Output>): grpc.ClientUnaryCall;
  readDir(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_ReadDirResponse__Output>): grpc.ClientUnaryCall;
  readDir(argument: _mirrord_agent_v1_FilePathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_ReadDirResponse__Output>): grpc.ClientUnaryCall;
  readDir(argument: _mirrord_agent_v1_FilePathRequest, callback: grpc.requestCallback<_mirrord_agent_v1_ReadDirResponse__Output>): grpc.ClientUnaryCall;
  
  ReadFile(argument: _mirrord_agent_v1_ReadFileRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_ReadFileResponse__Output>): grpc.ClientUnaryCall;
  ReadFile(argument: _mirrord_agent_v1_ReadFileRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_ReadFileResponse__Output>): grpc.ClientUnaryCall;
  ReadFile(argument: _mirrord_agent_v1_ReadFileRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_ReadFileResponse__Output>): grpc.ClientUnaryCall;
  ReadFile(argument: _mirrord_agent_v1_ReadFileRequest, callback: grpc.requestCallback<_mirrord_agent_v1_ReadFileResponse__Output>): grpc.ClientUnaryCall;
  readFile(argument: _mirrord_agent_v1_ReadFileRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_ReadFileResponse__Output>): grpc.ClientUnaryCall;
  readFile(argument: _mirrord_agent_v1_ReadFileRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_ReadFileResponse__Output>): grpc.ClientUnaryCall;
  readFile(argument: _mirrord_agent_v1_ReadFileRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_ReadFileResponse__Output>): grpc.ClientUnaryCall;
  readFile(argument: _mirrord_agent_v1_ReadFileRequest, callback: grpc.requestCallback<_mirrord_agent_v1_ReadFileResponse__Output>): grpc.ClientUnaryCall;
  
  ReadLink(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_ReadLinkResponse__Output>): grpc.ClientUnaryCall;
  ReadLink(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_ReadLinkResponse__Output>): grpc.ClientUnaryCall;
  ReadLink(argument: _mirrord_agent_v1_FilePathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_ReadLinkResponse__Output>): grpc.ClientUnaryCall;
  ReadLink(argument: _mirrord_agent_v1_FilePathRequest, callback: grpc.requestCallback<_mirrord_agent_v1_ReadLinkResponse__Output>): grpc.ClientUnaryCall;
  readLink(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_ReadLinkResponse__Output>): grpc.ClientUnaryCall;
  readLink(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_ReadLinkResponse__Output>): grpc.ClientUnaryCall;
  readLink(argument: _mirrord_agent_v1_FilePathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_ReadLinkResponse__Output>): grpc.ClientUnaryCall;
  readLink(argument: _mirrord_agent_v1_FilePathRequest, callback: grpc.requestCallback<_mirrord_agent_v1_ReadLinkResponse__Output>): grpc.ClientUnaryCall;
  
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_SessionClientMessage, _mirrord_agent_v1_SessionAgentMessage__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_SessionClientMessage, _mirrord_agent_v1_SessionAgentMessage__Output>;
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_SessionClientMessage, _mirrord_agent_v1_SessionAgentMessage__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_SessionClientMessage, _mirrord_agent_v1_SessionAgentMessage__Output>;
  
  StatFile(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_StatFileResponse__Output>): grpc.ClientUnaryCall;
  StatFile(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_StatFileResponse__Output>): grpc.ClientUnaryCall;
  StatFile(argument: _mirrord_agent_v1_FilePathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_StatFileResponse__Output>): grpc.ClientUnaryCall;
  StatFile(argument: _mirrord_agent_v1_FilePathRequest, callback: grpc.requestCallback<_mirrord_agent_v1_StatFileResponse__Output>): grpc.ClientUnaryCall;
  statFile(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_StatFileResponse__Output>): grpc.ClientUnaryCall;
  statFile(argument: _mirrord_agent_v1_FilePathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrord_agent_v1_StatFileResponse__Output>): grpc.ClientUnaryCall;
  statFile(argument: _mirrord_agent_v1_FilePathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrord_agent_v1_StatFileResponse__Output>): grpc.ClientUnaryCall;
  statFile(argument: _mirrord_agent_v1_FilePathRequest, callback: grpc.requestCallback<_mirrord_agent_v1_StatFileResponse__Output>): grpc.ClientUnaryCall;
  
  Steal(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_StealClientMessage, _mirrord_agent_v1_StealAgentMessage__Output>;
  Steal(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_StealClientMessage, _mirrord_agent_v1_StealAgentMessage__Output>;
  steal(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_StealClientMessage, _mirrord_agent_v1_StealAgentMessage__Output>;
  steal(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_StealClientMessage, _mirrord_agent_v1_StealAgentMessage__Output>;
  
  UdpSocket(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_UdpClientMessage, _mirrord_agent_v1_UdpAgentMessage__Output>;
  UdpSocket(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_UdpClientMessage, _mirrord_agent_v1_UdpAgentMessage__Output>;
  udpSocket(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_UdpClientMessage, _mirrord_agent_v1_UdpAgentMessage__Output>;
  udpSocket(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrord_agent_v1_UdpClientMessage, _mirrord_agent_v1_UdpAgentMessage__Output>;
  
}

export interface AgentHandlers extends grpc.UntypedServiceImplementation {
  CloseFile: grpc.handleUnaryCall<_mirrord_agent_v1_CloseFileRequest__Output, _mirrord_agent_v1_CloseFileResponse>;
  
  ConnectTcp: grpc.handleBidiStreamingCall<_mirrord_agent_v1_TcpClientMessage__Output, _mirrord_agent_v1_TcpAgentMessage>;
  
  GetEnv: grpc.handleUnaryCall<_mirrord_agent_v1_GetEnvRequest__Output, _mirrord_agent_v1_GetEnvResponse>;
  
  LookupHost: grpc.handleUnaryCall<_mirrord_agent_v1_LookupHostRequest__Output, _mirrord_agent_v1_LookupHostResponse>;
  
  Mirror: grpc.handleServerStreamingCall<_mirrord_agent_v1_MirrorRequest__Output, _mirrord_agent_v1_MirrorAgentMessage>;
  
  OpenFile: grpc.handleUnaryCall<_mirrord_agent_v1_FilePathRequest__Output, _mirrord_agent_v1_OpenFileResponse>;
  
  Pause: grpc.handleUnaryCall<_mirrord_agent_v1_PauseRequest__Output, _mirrord_agent_v1_PauseResponse>;
  
  ReadDir: grpc.handleUnaryCall<_mirrord_agent_v1_FilePathRequest__Output, _mirrord_agent_v1_ReadDirResponse>;
  
  ReadFile: grpc.handleUnaryCall<_mirrord_agent_v1_ReadFileRequest__Output, _mirrord_agent_v1_ReadFileResponse>;
  
  ReadLink: grpc.handleUnaryCall<_mirrord_agent_v1_FilePathRequest__Output, _mirrord_agent_v1_ReadLinkResponse>;
  
  Session: grpc.handleBidiStreamingCall<_mirrord_agent_v1_SessionClientMessage__Output, _mirrord_agent_v1_SessionAgentMessage>;
  
  StatFile: grpc.handleUnaryCall<_mirrord_agent_v1_FilePathRequest__Output, _mirrord_agent_v1_StatFileResponse>;
  
  Steal: grpc.handleBidiStreamingCall<_mirrord_agent_v1_StealClientMessage__Output, _mirrord_agent_v1_StealAgentMessage>;
  
  UdpSocket: grpc.handleBidiStreamingCall<_mirrord_agent_v1_UdpClientMessage__Output, _mirrord_agent_v1_UdpAgentMessage>;
  
}

export interface AgentDefinition extends grpc.ServiceDefinition {
  CloseFile: MethodDefinition<_mirrord_agent_v1_CloseFileRequest, _mirrord_agent_v1_CloseFileResponse, _mirrord_agent_v1_CloseFileRequest__Output, _mirrord_agent_v1_CloseFileResponse__Output>
  ConnectTcp: MethodDefinition<_mirrord_agent_v1_TcpClientMessage, _mirrord_agent_v1_TcpAgentMessage, _mirrord_agent_v1_TcpClientMessage__Output, _mirrord_agent_v1_TcpAgentMessage__Output>
  GetEnv: MethodDefinition<_mirrord_agent_v1_GetEnvRequest, _mirrord_agent_v1_GetEnvResponse, _mirrord_agent_v1_GetEnvRequest__Output, _mirrord_agent_v1_GetEnvResponse__Output>
  LookupHost: MethodDefinition<_mirrord_agent_v1_LookupHostRequest, _mirrord_agent_v1_LookupHostResponse, _mirrord_agent_v1_LookupHostRequest__Output, _mirrord_agent_v1_LookupHostResponse__Output>
  Mirror: MethodDefinition<_mirrord_agent_v1_MirrorRequest, _mirrord_agent_v1_MirrorAgentMessage, _mirrord_agent_v1_MirrorRequest__Output, _mirrord_agent_v1_MirrorAgentMessage__Output>
  OpenFile: MethodDefinition<_mirrord_agent_v1_FilePathRequest, _mirrord_agent_v1_OpenFileResponse, _mirrord_agent_v1_FilePathRequest__Output, _mirrord_agent_v1_OpenFileResponse__Output>
  Pause: MethodDefinition<_mirrord_agent_v1_PauseRequest, _mirrord_agent_v1_PauseResponse, _mirrord_agent_v1_PauseRequest__Output, _mirrord_agent_v1_PauseResponse__Output>
  ReadDir: MethodDefinition<_mirrord_agent_v1_FilePathRequest, _mirrord_agent_v1_ReadDirResponse, _mirrord_agent_v1_FilePathRequest__Output, _mirrord_agent_v1_ReadDirResponse__Output>
  ReadFile: MethodDefinition<_mirrord_agent_v1_ReadFileRequest, _mirrord_agent_v1_ReadFileResponse, _mirrord_agent_v1_ReadFileRequest__Output, _mirrord_agent_v1_ReadFileResponse__Output>
  ReadLink: MethodDefinition<_mirrord_agent_v1_FilePathRequest, _mirrord_agent_v1_ReadLinkResponse, _mirrord_agent_v1_FilePathRequest__Output, _mirrord_agent_v1_ReadLinkResponse__Output>
  Session: MethodDefinition<_mirrord_agent_v1_SessionClientMessage, _mirrord_agent_v1_SessionAgentMessage, _mirrord_agent_v1_SessionClientMessage__Output, _mirrord_agent_v1_SessionAgentMessage__Output>
  StatFile: MethodDefinition<_mirrord_agent_v1_FilePathRequest, _mirrord_agent_v1_StatFileResponse, _mirrord_agent_v1_FilePathRequest__Output, _mirrord_agent_v1_StatFileResponse__Output>
  Steal: MethodDefinition<_mirrord_agent_v1_StealClientMessage, _mirrord_agent_v1_StealAgentMessage, _mirrord_agent_v1_StealClientMessage__Output, _mirrord_agent_v1_StealAgentMessage__Output>
  UdpSocket: MethodDefinition<_mirrord_agent_v1_UdpClientMessage, _mirrord_agent_v1_UdpAgentMessage, _mirrord_agent_v1_UdpClientMessage__Output, _mirrord_agent_v1_UdpAgentMessage__Output>
}
