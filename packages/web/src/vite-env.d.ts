/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** API origin baked in at build time, e.g. `https://chat.example.com`; empty for same origin. */
  readonly VITE_API_ORIGIN?: string;
}
