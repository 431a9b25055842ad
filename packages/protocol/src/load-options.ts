import type { Options } from "@grpc/proto-loader";

/**
 * How messages are mapped to JavaScript. The generator is run with the matching flags
 * (see scripts/generate.ts), so the generated types describe exactly these objects.
 */
export const LOAD_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
} as const satisfies Options;

/** The same choices as proto-loader-gen-types flags. */
export const GENERATOR_FLAGS = [
  "--longs=Number",
  "--enums=String",
  "--defaults",
  "--oneofs",
  "--grpcLib=@grpc/grpc-js",
] as const;
