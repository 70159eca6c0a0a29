// Electron's fuses for every packaged build, one definition for both packagers (Forge's
// FusesPlugin and electron-builder's electronFuses). Compatible with the backend's own
// process: utilityProcess does not need RunAsNode, NODE_OPTIONS or --inspect.
export const FUSES = {
  /** ELECTRON_RUN_AS_NODE would turn the signed app into a general Node. */
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  /** The app.asar is checked against the hash embedded in the executable (Windows, macOS). */
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  /** The UI loads from app://, so file:// needs no extra privileges. */
  grantFileProtocolExtraPrivileges: false,
} as const;
