/** The version of the CLI, IDE server, agent image and IDE packages: they ship together. */
export const VERSION = '0.1.0';
