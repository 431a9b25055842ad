import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentClient as _mirrord_agent_v1_AgentClient, AgentDefinition as _mirrord_agent_v1_AgentDefinition } from './mirrord/agent/v1/Agent.js';
import type { AgentHello as _mirrord_agent_v1_AgentHello, AgentHello__Output as _mirrord_agent_v1_AgentHello__Output } from './mirrord/agent/v1/AgentHello.js';
import type { ClientHello as _mirrord_agent_v1_ClientHello, ClientHello__Output as _mirrord_agent_v1_ClientHello__Output } from './mirrord/agent/v1/ClientHello.js';
import type { CloseFileRequest as _mirrord_agent_v1_CloseFileRequest, CloseFileRequest__Output as _mirrord_agent_v1_CloseFileRequest__Output } from './mirrord/agent/v1/CloseFileRequest.js';
import type { CloseFileResponse as _mirrord_agent_v1_CloseFileResponse, CloseFileResponse__Output as _mirrord_agent_v1_CloseFileResponse__Output } from './mirrord/agent/v1/CloseFileResponse.js';
import type { ConnectionClosed as _mirrord_agent_v1_ConnectionClosed, ConnectionClosed__Output as _mirrord_agent_v1_ConnectionClosed__Output } from './mirrord/agent/v1/ConnectionClosed.js';
import type { ConnectionData as _mirrord_agent_v1_ConnectionData, ConnectionData__Output as _mirrord_agent_v1_ConnectionData__Output } from './mirrord/agent/v1/ConnectionData.js';
import type { DirEntry as _mirrord_agent_v1_DirEntry, DirEntry__Output as _mirrord_agent_v1_DirEntry__Output } from './mirrord/agent/v1/DirEntry.js';
import type { EnvVar as _mirrord_agent_v1_EnvVar, EnvVar__Output as _mirrord_agent_v1_EnvVar__Output } from './mirrord/agent/v1/EnvVar.js';
import type { FilePathRequest as _mirrord_agent_v1_FilePathRequest, FilePathRequest__Output as _mirrord_agent_v1_FilePathRequest__Output } from './mirrord/agent/v1/FilePathRequest.js';
import type { FileStat as _mirrord_agent_v1_FileStat, FileStat__Output as _mirrord_agent_v1_FileStat__Output } from './mirrord/agent/v1/FileStat.js';
import type { GetEnvRequest as _mirrord_agent_v1_GetEnvRequest, GetEnvRequest__Output as _mirrord_agent_v1_GetEnvRequest__Output } from './mirrord/agent/v1/GetEnvRequest.js';
import type { GetEnvResponse as _mirrord_agent_v1_GetEnvResponse, GetEnvResponse__Output as _mirrord_agent_v1_GetEnvResponse__Output } from './mirrord/agent/v1/GetEnvResponse.js';
import type { HttpBody as _mirrord_agent_v1_HttpBody, HttpBody__Output as _mirrord_agent_v1_HttpBody__Output } from './mirrord/agent/v1/HttpBody.js';
import type { HttpFilter as _mirrord_agent_v1_HttpFilter, HttpFilter__Output as _mirrord_agent_v1_HttpFilter__Output } from './mirrord/agent/v1/HttpFilter.js';
import type { HttpHeader as _mirrord_agent_v1_HttpHeader, HttpHeader__Output as _mirrord_agent_v1_HttpHeader__Output } from './mirrord/agent/v1/HttpHeader.js';
import type { HttpRequest as _mirrord_agent_v1_HttpRequest, HttpRequest__Output as _mirrord_agent_v1_HttpRequest__Output } from './mirrord/agent/v1/HttpRequest.js';
import type { HttpResponse as _mirrord_agent_v1_HttpResponse, HttpResponse__Output as _mirrord_agent_v1_HttpResponse__Output } from './mirrord/agent/v1/HttpResponse.js';
import type { IncomingConnection as _mirrord_agent_v1_IncomingConnection, IncomingConnection__Output as _mirrord_agent_v1_IncomingConnection__Output } from './mirrord/agent/v1/IncomingConnection.js';
import type { IoError as _mirrord_agent_v1_IoError, IoError__Output as _mirrord_agent_v1_IoError__Output } from './mirrord/agent/v1/IoError.js';
import type { LookupHostRequest as _mirrord_agent_v1_LookupHostRequest, LookupHostRequest__Output as _mirrord_agent_v1_LookupHostRequest__Output } from './mirrord/agent/v1/LookupHostRequest.js';
import type { LookupHostResponse as _mirrord_agent_v1_LookupHostResponse, LookupHostResponse__Output as _mirrord_agent_v1_LookupHostResponse__Output } from './mirrord/agent/v1/LookupHostResponse.js';
import type { MirrorAgentMessage as _mirrord_agent_v1_MirrorAgentMessage, MirrorAgentMessage__Output as _mirrord_agent_v1_MirrorAgentMessage__Output } from './mirrord/agent/v1/MirrorAgentMessage.js';
import type { MirrorRequest as _mirrord_agent_v1_MirrorRequest, MirrorRequest__Output as _mirrord_agent_v1_MirrorRequest__Output } from './mirrord/agent/v1/MirrorRequest.js';
import type { OpenFileResponse as _mirrord_agent_v1_OpenFileResponse, OpenFileResponse__Output as _mirrord_agent_v1_OpenFileResponse__Output } from './mirrord/agent/v1/OpenFileResponse.js';
import type { PauseRequest as _mirrord_agent_v1_PauseRequest, PauseRequest__Output as _mirrord_agent_v1_PauseRequest__Output } from './mirrord/agent/v1/PauseRequest.js';
import type { PauseResponse as _mirrord_agent_v1_PauseResponse, PauseResponse__Output as _mirrord_agent_v1_PauseResponse__Output } from './mirrord/agent/v1/PauseResponse.js';
import type { Ping as _mirrord_agent_v1_Ping, Ping__Output as _mirrord_agent_v1_Ping__Output } from './mirrord/agent/v1/Ping.js';
import type { Pong as _mirrord_agent_v1_Pong, Pong__Output as _mirrord_agent_v1_Pong__Output } from './mirrord/agent/v1/Pong.js';
import type { ReadDirResponse as _mirrord_agent_v1_ReadDirResponse, ReadDirResponse__Output as _mirrord_agent_v1_ReadDirResponse__Output } from './mirrord/agent/v1/ReadDirResponse.js';
import type { ReadFileRequest as _mirrord_agent_v1_ReadFileRequest, ReadFileRequest__Output as _mirrord_agent_v1_ReadFileRequest__Output } from './mirrord/agent/v1/ReadFileRequest.js';
import type { ReadFileResponse as _mirrord_agent_v1_ReadFileResponse, ReadFileResponse__Output as _mirrord_agent_v1_ReadFileResponse__Output } from './mirrord/agent/v1/ReadFileResponse.js';
import type { ReadLinkResponse as _mirrord_agent_v1_ReadLinkResponse, ReadLinkResponse__Output as _mirrord_agent_v1_ReadLinkResponse__Output } from './mirrord/agent/v1/ReadLinkResponse.js';
import type { ResolvedAddress as _mirrord_agent_v1_ResolvedAddress, ResolvedAddress__Output as _mirrord_agent_v1_ResolvedAddress__Output } from './mirrord/agent/v1/ResolvedAddress.js';
import type { SessionAgentMessage as _mirrord_agent_v1_SessionAgentMessage, SessionAgentMessage__Output as _mirrord_agent_v1_SessionAgentMessage__Output } from './mirrord/agent/v1/SessionAgentMessage.js';
import type { SessionClientMessage as _mirrord_agent_v1_SessionClientMessage, SessionClientMessage__Output as _mirrord_agent_v1_SessionClientMessage__Output } from './mirrord/agent/v1/SessionClientMessage.js';
import type { SocketAddress as _mirrord_agent_v1_SocketAddress, SocketAddress__Output as _mirrord_agent_v1_SocketAddress__Output } from './mirrord/agent/v1/SocketAddress.js';
import type { StatFileResponse as _mirrord_agent_v1_StatFileResponse, StatFileResponse__Output as _mirrord_agent_v1_StatFileResponse__Output } from './mirrord/agent/v1/StatFileResponse.js';
import type { StealAgentMessage as _mirrord_agent_v1_StealAgentMessage, StealAgentMessage__Output as _mirrord_agent_v1_StealAgentMessage__Output } from './mirrord/agent/v1/StealAgentMessage.js';
import type { StealClientMessage as _mirrord_agent_v1_StealClientMessage, StealClientMessage__Output as _mirrord_agent_v1_StealClientMessage__Output } from './mirrord/agent/v1/StealClientMessage.js';
import type { StealSubscribe as _mirrord_agent_v1_StealSubscribe, StealSubscribe__Output as _mirrord_agent_v1_StealSubscribe__Output } from './mirrord/agent/v1/StealSubscribe.js';
import type { StealSubscribed as _mirrord_agent_v1_StealSubscribed, StealSubscribed__Output as _mirrord_agent_v1_StealSubscribed__Output } from './mirrord/agent/v1/StealSubscribed.js';
import type { TcpAgentMessage as _mirrord_agent_v1_TcpAgentMessage, TcpAgentMessage__Output as _mirrord_agent_v1_TcpAgentMessage__Output } from './mirrord/agent/v1/TcpAgentMessage.js';
import type { TcpClientMessage as _mirrord_agent_v1_TcpClientMessage, TcpClientMessage__Output as _mirrord_agent_v1_TcpClientMessage__Output } from './mirrord/agent/v1/TcpClientMessage.js';
import type { TcpConnectRequest as _mirrord_agent_v1_TcpConnectRequest, TcpConnectRequest__Output as _mirrord_agent_v1_TcpConnectRequest__Output } from './mirrord/agent/v1/TcpConnectRequest.js';
import type { TcpConnected as _mirrord_agent_v1_TcpConnected, TcpConnected__Output as _mirrord_agent_v1_TcpConnected__Output } from './mirrord/agent/v1/TcpConnected.js';
import type { TcpShutdown as _mirrord_agent_v1_TcpShutdown, TcpShutdown__Output as _mirrord_agent_v1_TcpShutdown__Output } from './mirrord/agent/v1/TcpShutdown.js';
import type { UdpAgentMessage as _mirrord_agent_v1_UdpAgentMessage, UdpAgentMessage__Output as _mirrord_agent_v1_UdpAgentMessage__Output } from './mirrord/agent/v1/UdpAgentMessage.js';
import type { UdpBind as _mirrord_agent_v1_UdpBind, UdpBind__Output as _mirrord_agent_v1_UdpBind__Output } from './mirrord/agent/v1/UdpBind.js';
import type { UdpBound as _mirrord_agent_v1_UdpBound, UdpBound__Output as _mirrord_agent_v1_UdpBound__Output } from './mirrord/agent/v1/UdpBound.js';
import type { UdpClientMessage as _mirrord_agent_v1_UdpClientMessage, UdpClientMessage__Output as _mirrord_agent_v1_UdpClientMessage__Output } from './mirrord/agent/v1/UdpClientMessage.js';
import type { UdpDatagram as _mirrord_agent_v1_UdpDatagram, UdpDatagram__Output as _mirrord_agent_v1_UdpDatagram__Output } from './mirrord/agent/v1/UdpDatagram.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mirrord: {
    agent: {
      v1: {
        AddressFamily: EnumTypeDefinition
        Agent: SubtypeConstructor<typeof grpc.Client, _mirrord_agent_v1_AgentClient> & { service: _mirrord_agent_v1_AgentDefinition }
        AgentHello: MessageTypeDefinition<_mirrord_agent_v1_AgentHello, _mirrord_agent_v1_AgentHello__Output>
        ClientHello: MessageTypeDefinition<_mirrord_agent_v1_ClientHello, _mirrord_agent_v1_ClientHello__Output>
        CloseFileRequest: MessageTypeDefinition<_mirrord_agent_v1_CloseFileRequest, _mirrord_agent_v1_CloseFileRequest__Output>
        CloseFileResponse: MessageTypeDefinition<_mirrord_agent_v1_CloseFileResponse, _mirrord_agent_v1_CloseFileResponse__Output>
        ConnectionClosed: MessageTypeDefinition<_mirrord_agent_v1_ConnectionClosed, _mirrord_agent_v1_ConnectionClosed__Output>
        ConnectionData: MessageTypeDefinition<_mirrord_agent_v1_ConnectionData, _mirrord_agent_v1_ConnectionData__Output>
        DirEntry: MessageTypeDefinition<_mirrord_agent_v1_DirEntry, _mirrord_agent_v1_DirEntry__Output>
        EnvVar: MessageTypeDefinition<_mirrord_agent_v1_EnvVar, _mirrord_agent_v1_EnvVar__Output>
        FilePathRequest: MessageTypeDefinition<_mirrord_agent_v1_FilePathRequest, _mirrord_agent_v1_FilePathRequest__Output>
        FileStat: MessageTypeDefinition<_mirrord_agent_v1_FileStat, _mirrord_agent_v1_FileStat__Output>
        FileType: EnumTypeDefinition
        GetEnvRequest: MessageTypeDefinition<_mirrord_agent_v1_GetEnvRequest, _mirrord_agent_v1_GetEnvRequest__Output>
        GetEnvResponse: MessageTypeDefinition<_mirrord_agent_v1_GetEnvResponse, _mirrord_agent_v1_GetEnvResponse__Output>
        HttpBody: MessageTypeDefinition<_mirrord_agent_v1_HttpBody, _mirrord_agent_v1_HttpBody__Output>
        HttpFilter: MessageTypeDefinition<_mirrord_agent_v1_HttpFilter, _mirrord_agent_v1_HttpFilter__Output>
        HttpHeader: MessageTypeDefinition<_mirrord_agent_v1_HttpHeader, _mirrord_agent_v1_HttpHeader__Output>
        HttpRequest: MessageTypeDefinition<_mirrord_agent_v1_HttpRequest, _mirrord_agent_v1_HttpRequest__Output>
        HttpResponse: MessageTypeDefinition<_mirrord_agent_v1_HttpResponse, _mirrord_agent_v1_HttpResponse__Output>
        IncomingConnection: MessageTypeDefinition<_mirrord_agent_v1_IncomingConnection, _mirrord_agent_v1_IncomingConnection__Output>
        IoError: MessageTypeDefinition<_mirrord_agent_v1_IoError, _mirrord_agent_v1_IoError__Output>
        LookupHostRequest: MessageTypeDefinition<_mirrord_agent_v1_LookupHostRequest, _mirrord_agent_v1_LookupHostRequest__Output>
        LookupHostResponse: MessageTypeDefinition<_mirrord_agent_v1_LookupHostResponse, _mirrord_agent_v1_LookupHostResponse__Output>
        MirrorAgentMessage: MessageTypeDefinition<_mirrord_agent_v1_MirrorAgentMessage, _mirrord_agent_v1_MirrorAgentMessage__Output>
        MirrorRequest: MessageTypeDefinition<_mirrord_agent_v1_MirrorRequest, _mirrord_agent_v1_MirrorRequest__Output>
        OpenFileResponse: MessageTypeDefinition<_mirrord_agent_v1_OpenFileResponse, _mirrord_agent_v1_OpenFileResponse__Output>
        PauseRequest: MessageTypeDefinition<_mirrord_agent_v1_PauseRequest, _mirrord_agent_v1_PauseRequest__Output>
        PauseResponse: MessageTypeDefinition<_mirrord_agent_v1_PauseResponse, _mirrord_agent_v1_PauseResponse__Output>
        Ping: MessageTypeDefinition<_mirrord_agent_v1_Ping, _mirrord_agent_v1_Ping__Output>
        Pong: MessageTypeDefinition<_mirrord_agent_v1_Pong, _mirrord_agent_v1_Pong__Output>
        ReadDirResponse: MessageTypeDefinition<_mirrord_agent_v1_ReadDirResponse, _mirrord_agent_v1_ReadDirResponse__Output>
        ReadFileRequest: MessageTypeDefinition<_mirrord_agent_v1_ReadFileRequest, _mirrord_agent_v1_ReadFileRequest__Output>
        ReadFileResponse: MessageTypeDefinition<_mirrord_agent_v1_ReadFileResponse, _mirrord_agent_v1_ReadFileResponse__Output>
        ReadLinkResponse: MessageTypeDefinition<_mirrord_agent_v1_ReadLinkResponse, _mirrord_agent_v1_ReadLinkResponse__Output>
        ResolvedAddress: MessageTypeDefinition<_mirrord_agent_v1_ResolvedAddress, _mirrord_agent_v1_ResolvedAddress__Output>
        SessionAgentMessage: MessageTypeDefinition<_mirrord_agent_v1_SessionAgentMessage, _mirrord_agent_v1_SessionAgentMessage__Output>
        SessionClientMessage: MessageTypeDefinition<_mirrord_agent_v1_SessionClientMessage, _mirrord_agent_v1_SessionClientMessage__Output>
        SocketAddress: MessageTypeDefinition<_mirrord_agent_v1_SocketAddress, _mirrord_agent_v1_SocketAddress__Output>
        StatFileResponse: MessageTypeDefinition<_mirrord_agent_v1_StatFileResponse, _mirrord_agent_v1_StatFileResponse__Output>
        StealAgentMessage: MessageTypeDefinition<_mirrord_agent_v1_StealAgentMessage, _mirrord_agent_v1_StealAgentMessage__Output>
        StealClientMessage: MessageTypeDefinition<_mirrord_agent_v1_StealClientMessage, _mirrord_agent_v1_StealClientMessage__Output>
        StealSubscribe: MessageTypeDefinition<_mirrord_agent_v1_StealSubscribe, _mirrord_agent_v1_StealSubscribe__Output>
        StealSubscribed: MessageTypeDefinition<_mirrord_agent_v1_StealSubscribed, _mirrord_agent_v1_StealSubscribed__Output>
        TcpAgentMessage: MessageTypeDefinition<_mirrord_agent_v1_TcpAgentMessage, _mirrord_agent_v1_TcpAgentMessage__Output>
        TcpClientMessage: MessageTypeDefinition<_mirrord_agent_v1_TcpClientMessage, _mirrord_agent_v1_TcpClientMessage__Output>
        TcpConnectRequest: MessageTypeDefinition<_mirrord_agent_v1_TcpConnectRequest, _mirrord_agent_v1_TcpConnectRequest__Output>
        TcpConnected: MessageTypeDefinition<_mirrord_agent_v1_TcpConnected, _mirrord_agent_v1_TcpConnected__Output>
        TcpShutdown: MessageTypeDefinition<_mirrord_agent_v1_TcpShutdown, _mirrord_agent_v1_TcpShutdown__Output>
        UdpAgentMessage: MessageTypeDefinition<_mirrord_agent_v1_UdpAgentMessage, _mirrord_agent_v1_UdpAgentMessage__Output>
        UdpBind: MessageTypeDefinition<_mirrord_agent_v1_UdpBind, _mirrord_agent_v1_UdpBind__Output>
        UdpBound: MessageTypeDefinition<_mirrord_agent_v1_UdpBound, _mirrord_agent_v1_UdpBound__Output>
        UdpClientMessage: MessageTypeDefinition<_mirrord_agent_v1_UdpClientMessage, _mirrord_agent_v1_UdpClientMessage__Output>
        UdpDatagram: MessageTypeDefinition<_mirrord_agent_v1_UdpDatagram, _mirrord_agent_v1_UdpDatagram__Output>
      }
    }
  }
}

