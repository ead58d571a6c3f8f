// Types for scripts/build-docs.mjs (used by test/docs/*.test.ts).
export declare const PROJECT_ROOT: string;
export declare const DEFAULT_SPECS_DIR: string;
export declare const DEFAULT_OUT_DIR: string;
export declare class DocsBuildError extends Error {}
export interface SpecInfo {
  provider: string;
  file: string;
  title: string;
  description: string;
  version: string;
  operations: Array<{ method: string; path: string }>;
}
export interface BuiltPage extends SpecInfo {
  output: string;
  bytes: number;
  ms: number;
}
export interface BuildDocsOptions {
  outDir?: string;
  specsDir?: string;
  concurrency?: number;
  log?: (line: string) => void;
}
export interface BuildDocsResult {
  outDir: string;
  pages: BuiltPage[];
  index: string;
  /** The shared Redoc bundle every page loads. */
  bundle: string;
  /** The TypeDoc library reference. */
  api: { outDir: string; index: string; pages: number };
  totalMs: number;
}
export declare function buildDocs(options?: BuildDocsOptions): Promise<BuildDocsResult>;
export declare function discoverSpecs(specsDir?: string): Promise<string[]>;
export declare function readSpecInfo(file: string): Promise<SpecInfo>;
export declare function plainSummary(markdown: string | undefined | null): string;
export declare function renderIndex(specs: SpecInfo[], apiReference?: string): string;
export declare function makeOffline(html: string, label?: string): string;
export declare function offlineProblems(html: string): string[];
