// Types for scripts/typedoc-subpaths.mjs.
export declare function subpathNames(pkg?: unknown): Map<string, string>;
export declare function entryPointFiles(pkg?: unknown): string[];
export declare function load(app: unknown): void;
