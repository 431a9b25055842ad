import * as grpc from "@grpc/grpc-js";
import { fromJSON } from "@grpc/proto-loader";
import { agentDescriptor } from "./generated/descriptor.js";
import type { ProtoGrpcType } from "./generated/agent.js";
import { LOAD_OPTIONS } from "./load-options.js";

/** The gRPC metadata key that ties a call to the session opened by Agent.Session. */
export const SESSION_METADATA_KEY = "mirrord-session-id";

let loaded: ProtoGrpcType | undefined;

/**
 * The typed grpc-js package of agent.proto, loaded from the generated descriptor (no
 * .proto file is read at run time). `loadAgentProto().mirrord.agent.v1.Agent.service` is
 * the service definition for `server.addService`; the same object is the client class.
 */
export function loadAgentProto(): ProtoGrpcType {
  if (!loaded) {
    // fromJSON's parameter type is protobufjs's INamespace; the descriptor is its JSON form.
    const definition = fromJSON(agentDescriptor as Parameters<typeof fromJSON>[0], LOAD_OPTIONS);
    loaded = grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
  }
  return loaded;
}

/** The Agent service's grpc-js definition and client constructor. */
export function agentService(): ProtoGrpcType["mirrord"]["agent"]["v1"]["Agent"] {
  return loadAgentProto().mirrord.agent.v1.Agent;
}
