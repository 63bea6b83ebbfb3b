/** Replaced by the build (tsup `define`) with the package version; absent when run from source. */
declare const __TIDINGS_VERSION__: string | undefined;

/** The version `tidings --version` prints and the client announces. */
export const CLI_VERSION: string = typeof __TIDINGS_VERSION__ === 'string' ? __TIDINGS_VERSION__ : '0.0.0-dev';
