// Types for scripts/ensure-chromium.mjs.
export declare const DEFAULT_CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
export declare function chromiumPath(): string;
export declare function ensureChromium(): Promise<{ installed: boolean; ok: boolean; path: string }>;
export declare const INSTALL_LOG: string;
