// Types for scripts/bundle-size.mjs.
export declare const PROJECT_ROOT: string;
export declare const PROVIDERS: string[];
/** Gzip budgets in bytes (1 kB = 1024 bytes). */
export declare const BUDGETS: { provider: number; facade: number };
export interface BundleRow {
  entry: string;
  minifiedBytes: number;
  gzipBytes: number;
  /** null for the comparison row (featurebase-node). */
  budgetBytes: number | null;
  pass: boolean | null;
  /** esbuild metafile input paths, relative to the project root. */
  inputs: string[];
  /** The inputs that contribute bytes to the bundle (what tree-shaking kept). */
  outputInputs: string[];
}
export declare function coreEntries(root?: string, from?: "dist" | "src"): Array<{ entry: string; file: string }>;
export declare function assertBuilt(root?: string): void;
export declare function bundleOptions(root?: string): import("esbuild").BuildOptions;
export declare function measureBundles(options?: { root?: string; from?: "dist" | "src" }): Promise<BundleRow[]>;
export declare function formatTable(rows: BundleRow[]): string;
